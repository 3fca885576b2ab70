package io.montage.collections;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * pgvector's binary form of a {@code halfvec} (its {@code halfvec_send}/{@code halfvec_recv}): int16 dimensions,
 * int16 unused, then one IEEE binary16 per dimension, big-endian. Written by hand because it is six lines and exact,
 * and the driver extension (pgvector-java) would still bind its objects as text: pgjdbc sends a custom type in binary
 * only when told its OID, which differs per database (ADR 0014). Parameters go as {@code float4[]}, which pgjdbc
 * sends in binary by itself, and pgvector's {@code real[] → halfvec} cast rounds them as a text vector would.
 */
final class HalfvecBinary {

    private HalfvecBinary() {
    }

    /** The vector as a binary COPY field: its length, then the halfvec. */
    static void writeField(DataOutputStream out, float[] vector) throws IOException {
        out.writeInt(4 + 2 * vector.length);
        out.writeShort(vector.length);
        out.writeShort(0);
        for (float value : vector) {
            out.writeShort(Float.floatToFloat16(value));
        }
    }

    /** The vector {@code halfvec_send(…)} returned. */
    static float[] read(byte[] sent) {
        ByteBuffer in = ByteBuffer.wrap(sent);
        float[] vector = new float[in.getShort() & 0xffff];
        in.getShort(); // unused
        for (int i = 0; i < vector.length; i++) {
            vector[i] = Float.float16ToFloat(in.getShort());
        }
        return vector;
    }
}
