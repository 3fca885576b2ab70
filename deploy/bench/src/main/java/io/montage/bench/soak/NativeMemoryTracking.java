package io.montage.bench.soak;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jcmd PID VM.native_memory summary} through the JDK's attach API, attached once for the whole run (a jcmd
 * process per sample would cost a JVM start-up each time on a 2-core machine). The JVM must run with
 * {@code -XX:NativeMemoryTracking=summary}. NMT sees what the JVM itself allocates (heap, metaspace, code, threads,
 * GC, its own mallocs and direct buffers), not what libtorch mallocs: that part is only in the RSS.
 * {@code executeJCmd} is not exported by jdk.attach, so the bench runs with
 * {@code --add-opens jdk.attach/sun.tools.attach=ALL-UNNAMED}.
 */
final class NativeMemoryTracking implements AutoCloseable {

    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    /** Committed bytes in all, and of the Java heap. */
    record Committed(long total, long heap) {
    }

    private final VirtualMachine vm;
    private final Method executeJCmd;

    NativeMemoryTracking(long pid) throws IOException {
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

    Committed committed() throws IOException {
        String summary;
        try (InputStream in = (InputStream) executeJCmd.invoke(vm, "VM.native_memory summary scale=KB")) {
            summary = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IOException("VM.native_memory failed: " + e, e);
        }
        return new Committed(kib(TOTAL, summary) * 1024, kib(HEAP, summary) * 1024);
    }

    private static long kib(Pattern pattern, String summary) throws IOException {
        Matcher m = pattern.matcher(summary);
        if (!m.find()) {
            throw new IOException("no " + pattern + " in VM.native_memory's answer (is the JVM started with "
                    + "-XX:NativeMemoryTracking=summary?): " + summary.lines().limit(3).toList());
        }
        return Long.parseLong(m.group(2));
    }

    @Override
    public void close() throws IOException {
        vm.detach();
    }
}
