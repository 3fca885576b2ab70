package io.montage.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The Main-Class of the api, worker and console jars. It is compiled for Java 8 (shared/pom.xml, the only class that
 * is), so an older Java than the jar's can still load it and say which Java Montage needs, where the jar's own main
 * class would fail with an UnsupportedClassVersionError. With a Java new enough it starts that main class.
 *
 * <p>The jar's manifest names both (the shade plugin writes them): {@value #MAIN_CLASS} and {@value #JAVA_RELEASE}.
 */
public final class Launcher {

    static final String MAIN_CLASS = "Montage-Main-Class";
    static final String JAVA_RELEASE = "Montage-Java-Release";
    /** The exit status of a Java too old, distinct from the admin commands' 2 (a usage or operator error). */
    static final int TOO_OLD = 3;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        Attributes manifest = ownManifest();
        int needed = Integer.parseInt(manifest.getValue(JAVA_RELEASE));
        int found = feature(System.getProperty("java.specification.version"));
        if (found < needed) {
            System.err.println("Montage needs Java " + needed + " or newer; found " + found + " ("
                    + System.getProperty("java.version") + " in " + System.getProperty("java.home") + "). Run it with "
                    + "a Java " + needed + "+ (JAVA_HOME/bin/java; deploy/local/lib.sh's montage_use_jdk finds one).");
            System.exit(TOO_OLD);
        }
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName(manifest.getValue(MAIN_CLASS)),
                "main", MethodType.methodType(void.class, String[].class));
        main.invokeExact(args);
    }

    /** The feature release of a {@code java.specification.version}: "1.8" is 8, "17" is 17. */
    static int feature(String specificationVersion) {
        String version = specificationVersion.startsWith("1.") ? specificationVersion.substring(2)
                : specificationVersion;
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }

    /** The main attributes of the jar this class was loaded from. */
    private static Attributes ownManifest() throws IOException, URISyntaxException {
        File jar = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar)) {
            return file.getManifest().getMainAttributes();
        }
    }
}
