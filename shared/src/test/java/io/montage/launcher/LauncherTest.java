package io.montage.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher, in a jar laid out as the api's, worker's and console's are (Main-Class the launcher, the real main
 * class and the Java release in the manifest), run with {@code java -jar} as an operator would: a Java too old is
 * told which it needs, one new enough runs the main class.
 */
class LauncherTest {

    /** Debian's Java 17, where installed: older than every Montage jar's release. */
    private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    private static final String THIS_JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    @Test
    void theLauncherLoadsOnJava8AndUp() throws IOException {
        try (InputStream in = classFile(Launcher.class)) {
            byte[] head = in.readNBytes(8);
            assertEquals(52, ((head[6] & 0xff) << 8) | (head[7] & 0xff), "class file major version 52 is Java 8");
        }
    }

    @Test
    void aJavaNewEnoughRunsTheMainClassWithItsArguments() throws Exception {
        Run run = run(THIS_JAVA, jar(Runtime.version().feature()), "admin", "--help");
        assertEquals(0, run.exit(), run.output());
        assertEquals("ran with admin --help", run.output().strip());
    }

    @Test
    void aJavaTooOldIsToldWhichJavaMontageNeeds() throws Exception {
        int newer = Runtime.version().feature() + 1;
        Run run = run(THIS_JAVA, jar(newer), "admin", "--help");
        assertEquals(Launcher.TOO_OLD, run.exit(), run.output());
        assertTrue(run.output().startsWith("Montage needs Java " + newer + " or newer; found "
                + Runtime.version().feature() + " ("), run.output());
        assertTrue(!run.output().contains("ran with"), run.output());
    }

    @Test
    void java17IsToldThatMontageNeeds21() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_17), "no Java 17 at " + JAVA_17);
        Run run = run(JAVA_17.toString(), jar(21));
        assertEquals(Launcher.TOO_OLD, run.exit(), run.output());
        assertTrue(run.output().startsWith("Montage needs Java 21 or newer; found 17 (17."), run.output());
        assertTrue(!run.output().contains("UnsupportedClassVersionError"), run.output());
    }

    @Test
    void theFeatureReleaseOfBothVersionSchemes() {
        assertEquals(8, Launcher.feature("1.8"));
        assertEquals(17, Launcher.feature("17"));
        assertEquals(25, Launcher.feature("25.0"));
    }

    /** A jar of the launcher and EchoMain whose manifest asks for Java {@code release}. */
    private Path jar(int release) throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, Launcher.class.getName());
        attributes.putValue(Launcher.MAIN_CLASS, EchoMain.class.getName());
        attributes.putValue(Launcher.JAVA_RELEASE, Integer.toString(release));
        Path jar = dir.resolve("montage-" + release + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> type : List.of(Launcher.class, EchoMain.class)) {
                out.putNextEntry(new JarEntry(type.getName().replace('.', '/') + ".class"));
                try (InputStream in = classFile(type)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static InputStream classFile(Class<?> type) {
        return type.getResourceAsStream(type.getSimpleName() + ".class");
    }

    private static Run run(String java, Path jar, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }
}
