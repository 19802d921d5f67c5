package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slab4j.internal.slab.LifecycleInsideTest.assertEveryPageInALiveSlab;
import static org.slab4j.internal.slab.LifecycleInsideTest.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JFR cache events of a destroy racing the creation of a cache of the same name, in the order things happened. */
class CacheEventOrderTest {
    /**
     * A destroy drains the dead cache outside {@code slab_mutex}, and committed {@code CacheDestroy} after that drain:
     * a cache of the same name created meanwhile had its {@code CacheCreate} recorded first, so a recording read in
     * time order showed the new cache destroyed. Here the drain waits for a stripe whose lock a constructor on a
     * virtual thread holds, while the name is created again.
     */
    @Test
    void aDestroyIsRecordedBeforeTheCreationOfACacheOfItsName(@TempDir Path dir) throws Exception {
        SlabSystem sys = boot(1);
        CacheHandle other = sys.createCache("other", 64, 0, CacheFlags.NO_MERGE, null);
        CountDownLatch destroyWaits = new CountDownLatch(1);
        CountDownLatch createdAgain = new CountDownLatch(1);
        Thread[] destroyer = new Thread[1];
        AtomicBoolean once = new AtomicBoolean();
        CacheHandle h = sys.createCache("constructed", 64, 0, 0, seg -> {
            if (once.compareAndSet(false, true)) {
                ThreadCpu stripe = sys.threadCpus.cpu();
                destroyer[0] = Thread.ofPlatform().start(() -> sys.destroy(other));
                while (!stripe.lock.hasQueuedThread(destroyer[0])) {
                    Thread.onSpinWait(); // until the destroy's drain waits for this stripe's lock
                }
                destroyWaits.countDown();
                try {
                    createdAgain.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        List<String> names;
        IllegalArgumentException refused = null;
        try (Recording r = new Recording()) {
            r.enable("org.slab4j.CacheCreate");
            r.enable("org.slab4j.CacheDestroy");
            r.start();
            Thread v = Thread.ofVirtual().start(() -> {
                other.cache.free(other, null, other.cache.alloc(other)); // "other" now has an array on this stripe
                h.cache.free(h, null, h.cache.alloc(h));
            });
            destroyWaits.await();
            try {
                sys.createCache("other", 64, 0, CacheFlags.NO_MERGE, null);
            } catch (IllegalArgumentException e) {
                refused = e;
            }
            createdAgain.countDown();
            v.join(Duration.ofMinutes(1));
            destroyer[0].join(Duration.ofMinutes(1));
            assertFalse(v.isAlive() || destroyer[0].isAlive(), "the constructor and the destroy wait for each other");
            if (refused != null) {
                sys.createCache("other", 64, 0, CacheFlags.NO_MERGE, null);
            }
            r.stop();
            Path file = dir.resolve("order.jfr");
            r.dump(file);
            names = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> "other".equals(e.getString("cache")))
                    .sorted(Comparator.comparing(RecordedEvent::getStartTime))
                    .map(e -> e.getEventType().getName())
                    .toList();
            Files.delete(file);
        }
        assertEquals(List.of("org.slab4j.CacheDestroy", "org.slab4j.CacheCreate"), names);
        assertTrue(
                refused != null && refused.getMessage().contains("'other'"),
                "the name was created again while its destroy was draining: " + refused);
        sys.destroy(h);
        assertEveryPageInALiveSlab(sys);
        sys.close();
    }
}
