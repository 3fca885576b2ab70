package io.montage.worker.node;

import io.montage.jobs.contracts.EchoJob;
import io.montage.testing.SharedContext;
import io.montage.workers.WorkerNode;
import io.montage.workers.WorkerRegistry;
import io.montage.worker.testing.Await;
import io.montage.worker.testing.TestHandlers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The running test context's worker, as operators see it in the workers table. */
class WorkerRegistrationTest {

    @Test
    void theWorkerIsRegisteredWithItsCapabilitiesAndDeviceAndKeepsHeartbeating() {
        UUID id = SharedContext.bean(WorkerIdentity.class).id();
        WorkerNode registered = find(id);

        assertEquals("running", registered.status());
        assertTrue(registered.capabilities().containsAll(List.of(EchoJob.NAME, TestHandlers.SLOW)),
                registered.capabilities().toString());
        assertEquals(ProcessHandle.current().pid(), registered.pid());
        // montage.inference.device is cpu here: DJL's name for it, then the engine that runs the models
        assertTrue(registered.device().startsWith("cpu(), PyTorch "), registered.device());
        assertTrue(registered.device().matches(".*; ONNX bundles on cpu, OnnxRuntime \\d+\\.\\d+\\.\\d+$"),
                registered.device());
        // reading OnnxRuntime's version for that line must not spoil DJL's engine for the ONNX bundles loaded later
        assertEquals("OnnxRuntime", ai.djl.engine.Engine.getEngine("OnnxRuntime").getEngineName());
        Await.until(Duration.ofSeconds(3), "a heartbeat after " + registered.heartbeatAt(), () -> find(id),
                node -> node.heartbeatAt().isAfter(registered.heartbeatAt()) && node.status().equals("running"));
    }

    private static WorkerNode find(UUID id) {
        return SharedContext.bean(WorkerRegistry.class).list().stream()
                .filter(node -> node.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("worker " + id + " is not registered"));
    }
}
