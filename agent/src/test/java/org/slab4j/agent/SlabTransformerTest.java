package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The transformer run on class files of the test fixtures (no agent): which classes it leaves untouched. */
class SlabTransformerTest {
    private final ClassLoader loader = getClass().getClassLoader();

    private static final String ANNOTATED = "org/slab4j/it/Order";
    private static final String MAKER = "org/slab4j/it/ConflictingApp";
    private static final String PLAIN = "org/slab4j/it/ClassLoaderIT";

    @Test
    void unannotatedClassesThatMakeNoSlabObjectsAreLeftUntouched() throws IOException {
        assertNull(transform(AgentOptions.parse(null, new Properties(), Map.of()), PLAIN));
    }

    @Test
    void annotatedClassesAndTheirAllocationSitesAreInstrumented() throws IOException {
        AgentOptions options = AgentOptions.parse(null, new Properties(), Map.of());
        assertNotNull(transform(options, ANNOTATED));
        assertNotNull(transform(options, MAKER));
    }

    @Test
    void withoutSiteTrackingOnlyAnnotatedClassesChange() throws IOException {
        AgentOptions options = AgentOptions.parse("sites=false", new Properties(), Map.of());
        assertNotNull(transform(options, ANNOTATED));
        assertNull(transform(options, MAKER));
    }

    @Test
    void excludedAndPlatformClassesAreLeftUntouched() throws IOException {
        AgentOptions options = AgentOptions.parse("exclude=org.slab4j.it.*", new Properties(), Map.of());
        assertNull(transform(options, ANNOTATED));
        assertNull(new SlabTransformer(AgentOptions.parse(null, new Properties(), Map.of()), null)
                .transform(loader, "java/lang/String", null, null, new byte[0]));
    }

    /** A class file older than Java 11 cannot hold the dynamic constants: it is treated as misconfigured. */
    @Test
    void anAnnotatedClassFileBeforeJava11IsAConfigurationError() throws IOException {
        byte[] classFile;
        try (InputStream in = loader.getResourceAsStream(ANNOTATED + ".class")) {
            classFile = in.readAllBytes();
        }
        classFile[6] = 0; // major version, big-endian at bytes 6-7: 52 is Java 8
        classFile[7] = 52;
        byte[] transformed = new SlabTransformer(AgentOptions.parse(null, new Properties(), Map.of()), null)
                .transform(loader, ANNOTATED, null, null, classFile);
        assertNotNull(transformed);
        String constants = new String(transformed, StandardCharsets.ISO_8859_1);
        assertTrue(constants.contains("version 52 (before Java 11)"), "no configuration error in the class");
        assertFalse(constants.contains("Slabs$Instrumented"), "a misconfigured class gets no free method");
    }

    private byte[] transform(AgentOptions options, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return new SlabTransformer(options, null).transform(loader, name, null, null, in.readAllBytes());
        }
    }
}
