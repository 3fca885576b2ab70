package io.montage.bench.soak;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * {@code jcmd PID …} through the JDK's attach API, attached once for the whole run: a jcmd process per sample
 * would cost a JVM start-up each time on a 2-core machine. {@code executeJCmd} is not exported by jdk.attach, so the
 * bench runs with {@code --add-opens jdk.attach/sun.tools.attach=ALL-UNNAMED}.
 */
final class Jcmd implements AutoCloseable {

    private final VirtualMachine vm;
    private final Method executeJCmd;

    Jcmd(long pid) throws IOException {
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to process " + pid + ": " + e.getMessage(), e);
        }
        executeJCmd = find(vm.getClass());
        executeJCmd.setAccessible(true);
    }

    private static Method find(Class<?> type) throws IOException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod("executeJCmd", String.class);
            } catch (NoSuchMethodException e) {
                // declared further up (HotSpotVirtualMachine)
            }
        }
        throw new IOException(type + " has no executeJCmd: not a HotSpot JVM?");
    }

    /** The command's answer, as jcmd would print it. */
    String run(String command) throws IOException {
        try (InputStream in = (InputStream) executeJCmd.invoke(vm, command)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IOException(command + " failed: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        vm.detach();
    }
}
