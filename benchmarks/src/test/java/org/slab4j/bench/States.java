package org.slab4j.bench;

import java.util.function.Consumer;

/** Runs test code on a benchmark's JMH state, set up and torn down as JMH would around an iteration. */
final class States {
    private States() {}

    /** Test code that uses a state. */
    interface Body<S> {
        void run(S state) throws Throwable;
    }

    /** Calls {@code setUp}, then {@code body}, then {@code tearDown} even if {@code body} throws. */
    static <S> void with(S state, Consumer<S> setUp, Consumer<S> tearDown, Body<S> body) throws Throwable {
        setUp.accept(state);
        try {
            body.run(state);
        } finally {
            tearDown.accept(state);
        }
    }
}
