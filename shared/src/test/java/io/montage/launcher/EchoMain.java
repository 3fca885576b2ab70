package io.montage.launcher;

/** A main class for LauncherTest's jars: says it ran, with its arguments. */
public final class EchoMain {

    private EchoMain() {
    }

    public static void main(String[] args) {
        System.out.println("ran with " + String.join(" ", args));
    }
}
