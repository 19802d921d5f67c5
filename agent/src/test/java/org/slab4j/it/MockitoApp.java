package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockConstruction;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import java.lang.foreign.MemorySegment;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * Mockito 5's default (inline) mock maker, which attaches itself and retransforms the classes it mocks, on a
 * {@code @Slab} class: mocks, spies, static and construction mocks. Each case prints what it saw, or FAILED and the
 * exception. {@link FrameworksIT} runs it.
 */
public final class MockitoApp {
    private MockitoApp() {}

    @Slab(name = "mocked", size = 16, release = Slab.Release.TRACKED)
    public static class Account implements AutoCloseable {
        @SlabSegment
        private MemorySegment mem;

        public Account() {
            this(0);
        }

        public Account(long balance) {
            mem.set(JAVA_LONG, 0, balance);
        }

        public long balance() {
            return mem.get(JAVA_LONG, 0);
        }

        public void deposit(long amount) {
            mem.set(JAVA_LONG, 0, balance() + amount);
        }

        public static String currency() {
            return "EUR";
        }

        @Override
        public void close() {}
    }

    /** An abstract {@code @Slab} class: Mockito mocks it with a subclass that carries a copy of its annotations. */
    @Slab(name = "mocked-ledger", size = 16)
    public abstract static class Ledger {
        @SlabSegment
        private MemorySegment mem;

        protected Ledger() {
            mem.set(JAVA_LONG, 0, 11);
        }

        public long total() {
            return mem.get(JAVA_LONG, 0);
        }

        public abstract String owner();
    }

    private interface Case {
        void run() throws Exception;
    }

    public static void main(String[] args) {
        Account real = new Account(1);
        run("mock", () -> {
            Account account = mock(Account.class);
            when(account.balance()).thenReturn(42L);
            System.out.println("mock: " + account.balance() + " " + noSegment(account));
            Slabs.free(account); // recorded as the mock's slab4j$free(false), which does nothing
            account.close();
            verify(account).balance();
            verify(account).close();
            System.out.println("mock invocations: " + mockingDetails(account).getInvocations());
        });
        run("spy of a class", () -> {
            Account account = spy(Account.class);
            account.deposit(5);
            verify(account).deposit(5);
            System.out.println("spy of a class: " + account.balance() + " "
                    + Slabs.segmentOf(account).byteSize());
            account.close();
            System.out.println("spy of a class closed: " + freed(account));
        });
        run("spy of an instance", () -> {
            Account original = new Account(7);
            Account account = spy(original);
            account.deposit(1);
            System.out.println("spy of an instance: " + account.balance() + " " + original.balance() + " "
                    + (Slabs.segmentOf(account).address()
                            == Slabs.segmentOf(original).address()));
            Slabs.free(account);
            try {
                Slabs.free(original);
            } catch (IllegalStateException e) {
                System.out.println("spy of an instance, then its original freed: " + e.getMessage());
            }
        });
        run("subclass mocks", () -> {
            Ledger ledger = spy(Ledger.class);
            when(ledger.owner()).thenReturn("ann");
            System.out.println("spy of an abstract class: " + ledger.owner() + " " + ledger.total() + " "
                    + Slabs.segmentOf(ledger).byteSize() + " "
                    + Slabs.stats(Ledger.class).cache());
            Slabs.free(ledger);
            Account account = mock(Account.class, withSettings().serializable());
            when(account.balance()).thenReturn(3L);
            System.out.println("serializable mock: " + account.balance() + " " + noSegment(account));
        });
        run("static mock", () -> {
            try (MockedStatic<Account> accounts = mockStatic(Account.class)) {
                accounts.when(Account::currency).thenReturn("CHF");
                Account account = new Account(3);
                System.out.println("static mock: " + Account.currency() + " " + account.balance());
                Slabs.free(account);
            }
            System.out.println("static mock closed: " + Account.currency());
        });
        run("construction mock", () -> {
            try (MockedConstruction<Account> constructed = mockConstruction(Account.class)) {
                Account account = new Account(4);
                System.out.println("construction mock: " + account.balance() + " " + noSegment(account) + " "
                        + constructed.constructed().size());
            }
        });
        run("after", () -> {
            Account account = new Account(9);
            System.out.println("after: " + account.balance() + " " + real.balance());
            Slabs.free(account);
            Slabs.free(real);
        });
        System.out.println("live " + live(Account.class) + " " + live(Ledger.class));
    }

    private static void run(String name, Case c) {
        try {
            c.run();
        } catch (Exception | Error e) {
            System.out.println(name + " FAILED: " + e);
        }
    }

    private static long live(Class<?> type) {
        return Slabs.stats(type).allocations() - Slabs.stats(type).frees();
    }

    private static boolean noSegment(Object instance) {
        try {
            Slabs.segmentOf(instance);
            return false;
        } catch (IllegalArgumentException e) {
            return e.getMessage().contains("has no segment");
        }
    }

    private static boolean freed(Object instance) {
        try {
            Slabs.segmentOf(instance);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
