package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the build hands to users: the agent jar with the licences and notices of what it bundles (taken word for word
 * from the bundled jars), manifests that say what and which version each jar is, the runtime's module name, sources
 * jars, and an agent POM that lists no dependencies.
 */
class ArtifactsIT {
    private static final Path TARGET = Path.of(Forked.agent()).getParent();
    private static final Path ROOT = TARGET.getParent().getParent();

    @Test
    void theAgentJarCarriesSlab4jsLicenceAndTheNoticesAndLicencesOfWhatItBundles() throws Exception {
        try (JarFile agent = new JarFile(Forked.agent())) {
            assertArrayEquals(Files.readAllBytes(ROOT.resolve("LICENSE")), read(agent, "META-INF/LICENSE"));
            String notice = new String(read(agent, "META-INF/NOTICE"), StandardCharsets.UTF_8);
            assertTrue(notice.startsWith(Files.readString(ROOT.resolve("NOTICE"))), notice);
            try (JarFile byteBuddy = new JarFile(jarOf(net.bytebuddy.ByteBuddy.class))) {
                assertTrue(
                        notice.contains(new String(read(byteBuddy, "META-INF/NOTICE"), StandardCharsets.UTF_8)),
                        "Byte Buddy's NOTICE, word for word: " + notice);
                assertArrayEquals(read(byteBuddy, "META-INF/licenses/ASM"), read(agent, "META-INF/licenses/ASM"));
            }
            byte[] slf4jLicence;
            try (JarFile slf4j = new JarFile(jarOf(org.slf4j.Logger.class))) {
                slf4jLicence = read(slf4j, "META-INF/LICENSE.txt");
            }
            assertArrayEquals(slf4jLicence, read(agent, "META-INF/licenses/SLF4J"));

            Attributes main = agent.getManifest().getMainAttributes();
            assertEquals("slab4j agent", main.getValue("Implementation-Title"));
            assertEquals("The slab4j Authors", main.getValue("Implementation-Vendor"));
            // The entry points load on any JVM since Java 8 (OldJvmIT), and hand on to SlabAgent and Main.
            assertEquals("org.slab4j.agent.Launcher", main.getValue("Premain-Class"));
            assertEquals("org.slab4j.agent.Launcher", main.getValue("Agent-Class"));
            assertEquals("org.slab4j.agent.Launcher", main.getValue("Main-Class"));
            String version = main.getValue("Implementation-Version");
            assertNotNull(version);

            try (JarInputStream nested =
                    new JarInputStream(new ByteArrayInputStream(read(agent, "slab4j-runtime-bootstrap.jar")))) {
                assertEquals(version, nested.getManifest().getMainAttributes().getValue("Implementation-Version"));
                List<String> names = new ArrayList<>();
                for (ZipEntry e = nested.getNextEntry(); e != null; e = nested.getNextEntry()) {
                    names.add(e.getName());
                    if (e.getName().equals("META-INF/licenses/SLF4J")) {
                        assertArrayEquals(slf4jLicence, nested.readAllBytes());
                    }
                }
                assertTrue(
                        names.containsAll(List.of("META-INF/LICENSE", "META-INF/NOTICE", "META-INF/licenses/SLF4J")),
                        names::toString);
            }
        }
    }

    @Test
    void theRuntimeJarIsTheAutomaticModuleOrgSlab4jWithItsLicenceAndVersion() throws Exception {
        String version;
        try (JarFile agent = new JarFile(Forked.agent())) {
            version = agent.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        Path jar = ROOT.resolve("runtime/target/slab4j-runtime-" + version + ".jar");
        Set<ModuleReference> modules = ModuleFinder.of(jar).findAll();
        assertEquals(1, modules.size());
        assertEquals("org.slab4j", modules.iterator().next().descriptor().name());
        try (JarFile runtime = new JarFile(jar.toFile())) {
            Manifest manifest = runtime.getManifest();
            assertEquals("org.slab4j", manifest.getMainAttributes().getValue("Automatic-Module-Name"));
            assertEquals(version, manifest.getMainAttributes().getValue("Implementation-Version"));
            assertEquals("slab4j runtime", manifest.getMainAttributes().getValue("Implementation-Title"));
            assertArrayEquals(Files.readAllBytes(ROOT.resolve("LICENSE")), read(runtime, "META-INF/LICENSE"));
            assertArrayEquals(Files.readAllBytes(ROOT.resolve("NOTICE")), read(runtime, "META-INF/NOTICE"));
        }
        try (JarFile sources = new JarFile(ROOT.resolve("runtime/target/slab4j-runtime-" + version + "-sources.jar")
                .toFile())) {
            assertNotNull(sources.getEntry("org/slab4j/SlabAllocator.java"));
        }
        try (JarFile sources =
                new JarFile(TARGET.resolve("slab4j-agent-sources.jar").toFile())) {
            assertNotNull(sources.getEntry("org/slab4j/agent/SlabAgent.java"));
        }
    }

    @Test
    void theAgentsInstalledPomListsNoDependencies() throws Exception {
        Element project = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(TARGET.resolve("dependency-reduced-pom.xml").toFile())
                .getDocumentElement();
        List<String> children = new ArrayList<>();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e.getTagName());
                if (e.getTagName().equals("artifactId")) {
                    assertEquals("slab4j-agent", e.getTextContent());
                }
            }
        }
        assertTrue(children.contains("artifactId"), children::toString);
        assertTrue(
                !children.contains("dependencies") && !children.contains("dependencyManagement"), children::toString);
    }

    /**
     * Every build that depends on a slab4j artifact reads the parent POM, imported BOMs included: an import there
     * (junit-bom) would have to be fetched by each of them.
     */
    @Test
    void theParentPomImportsNoBomThatItsUsersWouldHaveToFetch() throws Exception {
        NodeList scopes = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile())
                .getElementsByTagName("scope");
        for (int i = 0; i < scopes.getLength(); i++) {
            Node dependency = scopes.item(i).getParentNode();
            assertNotEquals(
                    "import",
                    scopes.item(i).getTextContent().trim(),
                    () -> "the parent POM imports "
                            + dependency.getTextContent().trim().replaceAll("\\s+", " "));
        }
    }

    private static byte[] read(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertNotNull(entry, jar.getName() + " has no " + name);
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private static String jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
