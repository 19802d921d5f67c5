package org.slab4j.sample;

import java.nio.charset.StandardCharsets;

/**
 * One wire message, as received and as parsed fields: {@code NEW id=7 sym=3 side=B px=9990 qty=25 trader=1 clid=C-7
 * acct=ACC-1001} (ASCII). The text fields stay in the received bytes, as ranges. A gateway reuses one instance for all
 * its messages.
 */
final class Wire {
    long id;
    int instrument;
    boolean buy;
    long price;
    long quantity;
    long trader;
    byte[] bytes = new byte[0];
    int clientIdFrom;
    int clientIdTo;
    int accountFrom;
    int accountTo;

    /** @return the message text of a new order with these fields */
    static String text(long id, int instrument, boolean buy, long price, long quantity, long trader) {
        return "NEW id=" + id + " sym=" + instrument + (buy ? " side=B" : " side=S") + " px=" + price + " qty="
                + quantity + " trader=" + trader + " clid=C-" + id + " acct=ACC-" + (1000 + trader);
    }

    /** Reads the fields of a message {@link #text} wrote, received as these bytes. */
    void parse(byte[] received) {
        bytes = received;
        String wire = new String(received, StandardCharsets.US_ASCII);
        id = number(wire, "id=");
        instrument = (int) number(wire, "sym=");
        buy = wire.contains("side=B");
        price = number(wire, "px=");
        quantity = number(wire, "qty=");
        trader = number(wire, "trader=");
        clientIdFrom = start(wire, "clid=");
        clientIdTo = end(wire, clientIdFrom);
        accountFrom = start(wire, "acct=");
        accountTo = end(wire, accountFrom);
    }

    private static long number(String wire, String key) {
        int from = start(wire, key);
        return Long.parseLong(wire, from, end(wire, from), 10);
    }

    private static int start(String wire, String key) {
        return wire.indexOf(key) + key.length();
    }

    private static int end(String wire, int from) {
        int to = wire.indexOf(' ', from);
        return to < 0 ? wire.length() : to;
    }
}
