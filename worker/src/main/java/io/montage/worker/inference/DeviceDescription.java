package io.montage.worker.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;

/**
 * A device as the workers table records it for operators: DJL's name, the engine's version and, on a GPU, what DJL
 * reads of the card (DJL has no call for its marketing name): its architecture (sm_90 is compute capability 9.0),
 * memory and the CUDA version.
 */
final class DeviceDescription {

    private static final long GIB = 1L << 30;

    private DeviceDescription() {
    }

    static String of(Device device, Engine engine) {
        String base = device + ", " + engine.getEngineName() + " " + engine.getVersion();
        if (!device.isGpu()) {
            return base + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        }
        try {
            return base + ", sm_" + CudaUtils.getComputeCapability(device.getDeviceId()) + ", "
                    + CudaUtils.getGpuMemory(device).getMax() / GIB + " GiB, CUDA " + CudaUtils.getCudaVersionString();
        } catch (RuntimeException | LinkageError e) {
            return base; // DJL found no CUDA runtime library to ask: gpu(N) still says which card
        }
    }
}
