package org.slab4j.sample;

/**
 * One wire message, as text and as parsed fields: {@code NEW id=7 sym=3 side=B px=9990 qty=25 trader=1
 * clid=C-7 acct=ACC-0001}. A gateway reuses one instance for all its messages.
 */
final class Wire {
    long id;
    int instrument;
    boolean buy;
    long price;
    long quantity;
    long trader;
    String clientId = "";
    String account = "";

    /** @return the message text of a new order with these fields */
    static String text(long id, int instrument, boolean buy, long price, long quantity, long trader) {
        return "NEW id=" + id + " sym=" + instrument + (buy ? " side=B" : " side=S") + " px=" + price + " qty="
                + quantity + " trader=" + trader + " clid=C-" + id + " acct=ACC-" + (1000 + trader);
    }

    /** Reads the fields of a message {@link #text} wrote. */
    void parse(String wire) {
        id = number(wire, "id=");
        instrument = (int) number(wire, "sym=");
        buy = wire.contains("side=B");
        price = number(wire, "px=");
        quantity = number(wire, "qty=");
        trader = number(wire, "trader=");
        clientId = field(wire, "clid=");
        account = field(wire, "acct=");
    }

    private static long number(String wire, String key) {
        int from = wire.indexOf(key) + key.length();
        return Long.parseLong(wire, from, end(wire, from), 10);
    }

    private static String field(String wire, String key) {
        int from = wire.indexOf(key) + key.length();
        return wire.substring(from, end(wire, from));
    }

    private static int end(String wire, int from) {
        int to = wire.indexOf(' ', from);
        return to < 0 ? wire.length() : to;
    }
}
