package dev.gptoss4j.engine.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Random valid encodings of every weight type (finite scales). */
final class MatrixKernelsTestData {

    private MatrixKernelsTestData() {}

    static byte[] encoding(WeightType type, int rows, int cols, Random rnd) {
        ByteBuffer b = ByteBuffer.allocate((int) type.rowBytes(cols) * rows).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            switch (type) {
                case F32 -> {
                    for (int i = 0; i < cols; i++) b.putFloat((float) rnd.nextGaussian());
                }
                case F16 -> {
                    for (int i = 0; i < cols; i++) b.putShort(Float.floatToFloat16((float) rnd.nextGaussian()));
                }
                case BF16 -> {
                    for (int i = 0; i < cols; i++)
                        b.putShort((short) (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
                }
                case Q8_0 -> {
                    for (int k = 0; k < cols / 32; k++) {
                        b.putShort(Float.floatToFloat16(0.01f + rnd.nextFloat() * 0.05f));
                        for (int j = 0; j < 32; j++) b.put((byte) (rnd.nextInt(255) - 127));
                    }
                }
                case MXFP4 -> {
                    for (int k = 0; k < cols / 32; k++) {
                        b.put((byte) (118 + rnd.nextInt(12)));
                        for (int j = 0; j < 16; j++) b.put((byte) rnd.nextInt(256));
                    }
                }
                case MXFP4_SPLIT -> {
                    for (int i = 0; i < cols / 2; i++) b.put((byte) rnd.nextInt(256));
                }
            }
        }
        return b.array();
    }
}
