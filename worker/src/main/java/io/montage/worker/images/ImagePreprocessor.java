package io.montage.worker.images;

import io.montage.models.ModelManifest;
import io.montage.worker.images.PilResize.Crop;

import java.util.List;

/**
 * A decoded image to a model's input tensor, exactly as a manifest's image section says and PIL plus torchvision
 * do it: convert to the colour mode, resize (PIL 9.4, bit for bit), centre-crop, scale to [0, 1] and normalise
 * per channel in float32. One instance per manifest: parsing it checks it. Thread-safe.
 */
public final class ImagePreprocessor {

    /**
     * Beyond this, resizing costs memory in proportion to the image's length: a 40-megapixel 10000:1 strip already
     * resizes (shortest_edge 224) to half a gigapixel, as many as PIL can hold, and downscaling a side by a factor f
     * takes weight tables of 16·f bytes per output pixel.
     */
    private static final int MAX_ASPECT_RATIO = 10_000;

    private final boolean shortestEdge;
    private final int resizeSize;
    private final Resampling resampling;
    private final boolean roundCrop;
    private final int cropSize;
    private final int channels;
    /** Per channel, the tensor value of each sample value 0–255. */
    private final float[][] normalised;

    /** @throws IllegalArgumentException when the spec is incomplete or inconsistent, naming the field */
    public ImagePreprocessor(ModelManifest.Image spec) {
        shortestEdge = switch (String.valueOf(spec.resize())) {
            case "shortest_edge" -> true;
            case "exact" -> false;
            default -> throw invalid("resize", "shortest_edge or exact", spec.resize());
        };
        boolean centerCrop = switch (String.valueOf(spec.crop())) {
            case "center" -> true;
            case "none" -> false;
            default -> throw invalid("crop", "center or none", spec.crop());
        };
        roundCrop = !centerCrop || switch (String.valueOf(spec.cropRounding())) {
            case "round" -> true;
            case "floor" -> false;
            default -> throw invalid("crop_rounding", "round or floor", spec.cropRounding());
        };
        channels = switch (String.valueOf(spec.colorMode())) {
            case "RGB" -> 3;
            case "L" -> 1;
            default -> throw invalid("color_mode", "RGB or L", spec.colorMode());
        };
        resampling = Resampling.named(spec.interpolation());
        resizeSize = spec.resizeSize();
        cropSize = spec.cropSize();
        if (resizeSize < 1 || cropSize < 1 || cropSize > resizeSize) {
            throw new IllegalArgumentException("image.crop_size (" + cropSize + ") must be positive and at most"
                    + " image.resize_size (" + resizeSize + ")");
        }
        if (!centerCrop && (shortestEdge || cropSize != resizeSize)) {
            throw new IllegalArgumentException("image.crop none needs resize exact and crop_size = resize_size:"
                    + " otherwise images of other shapes would not come out crop_size²");
        }
        normalised = normalisation(values("mean", spec.mean()), values("std", spec.std()));
    }

    /** {@code new ImagePreprocessor(spec).preprocess(image)}; construct one per model to check the spec once. */
    public static float[] preprocess(DecodedImage image, ModelManifest.Image spec) {
        return new ImagePreprocessor(spec).preprocess(image);
    }

    /**
     * The image as the model takes it: channels × cropSize × cropSize floats, channel-major (CHW).
     *
     * @throws ImageRejectedException when the image is too elongated to resize (10000:1 or more)
     */
    public float[] preprocess(DecodedImage image) {
        int width = image.width();
        int height = image.height();
        int shorter = Math.min(width, height);
        int longer = Math.max(width, height);
        if (longer / shorter >= MAX_ASPECT_RATIO) {
            throw ImageRejectedException.tooElongated(width, height, MAX_ASPECT_RATIO);
        }
        int resizedWidth = resizeSize;
        int resizedHeight = resizeSize;
        if (shortestEdge) {
            // as torchvision and Hugging Face: int(size * long / short), the product exact, the quotient a double
            int resizedLonger = (int) (resizeSize * (long) longer / (double) shorter);
            resizedWidth = width <= height ? resizeSize : resizedLonger;
            resizedHeight = width <= height ? resizedLonger : resizeSize;
        }
        Crop crop = new Crop(cropOffset(resizedWidth), cropOffset(resizedHeight), cropSize, cropSize);
        return tensor(resized(image, channels, resizedWidth, resizedHeight, resampling, crop));
    }

    /**
     * PIL's {@code convert(mode).resize(size, resampling)}, cropped. A grey image going to RGB is resized once and
     * comes back grey: PIL's channel-wise resize of its three equal channels gives three equal channels again.
     */
    static DecodedImage resized(DecodedImage image, int channels, int width, int height, Resampling resampling,
                                Crop crop) {
        boolean grey = channels == 1 || image.channels() == 1;
        return new DecodedImage(crop.width(), crop.height(), grey ? 1 : 3,
                PilResize.resize(image, channels == 1, width, height, resampling, crop));
    }

    private int cropOffset(int resized) {
        int excess = resized - cropSize;
        // torchvision: int(round(excess / 2.0)), half to even; Hugging Face: excess // 2
        return roundCrop ? (int) Math.rint(excess / 2.0) : excess / 2;
    }

    /** The interleaved samples to planes of normalised floats; a grey image gives all channels the same plane. */
    private float[] tensor(DecodedImage resized) {
        int area = cropSize * cropSize;
        byte[] samples = resized.samples();
        int step = resized.channels();
        float[] tensor = new float[channels * area];
        for (int c = 0; c < channels; c++) {
            float[] values = normalised[c];
            for (int i = 0, from = step == 1 ? 0 : c, at = c * area; i < area; i++, from += step, at++) {
                tensor[at] = values[samples[from] & 0xFF];
            }
        }
        return tensor;
    }

    /** The float32 arithmetic of torchvision's ToTensor and Normalize: (v / 255 − mean) / std. */
    private float[][] normalisation(float[] mean, float[] std) {
        float[][] table = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
        return table;
    }

    private float[] values(String field, List<Double> values) {
        if (values == null || values.size() != channels) {
            throw new IllegalArgumentException("image." + field + " needs " + channels + " value(s), one per channel");
        }
        float[] floats = new float[channels];
        for (int c = 0; c < channels; c++) {
            floats[c] = values.get(c).floatValue();
            if (field.equals("std") && !(floats[c] > 0)) {
                throw new IllegalArgumentException("image.std must be positive, not " + floats[c]);
            }
        }
        return floats;
    }

    private static IllegalArgumentException invalid(String field, String allowed, String value) {
        return new IllegalArgumentException("image." + field + " must be " + allowed + ", not " + value);
    }
}
