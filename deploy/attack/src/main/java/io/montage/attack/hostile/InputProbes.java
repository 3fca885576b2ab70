package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Images;
import io.montage.attack.probe.Expect;
import io.montage.attack.probe.JobOutcome;

import java.nio.charset.StandardCharsets;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.status;
import static io.montage.attack.probe.Expect.success;

/**
 * Inference inputs that are not what they claim: an input with both an image and a text, texts over the limits,
 * base64 that is not, data URLs with tricks, files that are not images, and decompression bombs whose headers
 * declare billions of pixels in a few dozen bytes. The worker must refuse every one quickly, by item.
 */
final class InputProbes extends Catalogue {

    InputProbes(Keys keys, Fixtures fixtures) {
        super("input", keys, fixtures);
    }

    @Override
    void build() {
        String png = f.png();
        json("embeddings input with image and text", EMBEDDINGS, "{\"input\":[{\"image\":\"" + png + "\",\"text\":\"boot\"}]}", status(422));
        json("job embed item with image and text", JOBS, "{\"type\":\"embed\",\"items\":[{\"image\":\"" + png + "\",\"text\":\"boot\"}]}", status(422));
        json("upsert item with image and text", items(), upsert("{\"id\":\"both\",\"image\":\"" + png + "\",\"text\":\"boot\"}"), status(422));
        json("search query with image and text", search(), searchBody("{\"image\":\"" + png + "\",\"text\":\"boot\"}", null), status(422));
        jsonl("upload line with image and text", "type=embed", "{\"text\":\"boot\"}\n{\"image\":\"" + png + "\",\"text\":\"boot\"}\n",
                any().job(JobOutcome.items(1, 1)));
        texts();
        encodings(png);
        notImages();
        bombs();
        counts(png);
    }

    private void texts() {
        String long10001 = "w".repeat(10_001);
        json("embeddings text of 10,001 characters", EMBEDDINGS, "{\"input\":\"" + long10001 + "\"}", refused().code("text_too_long"));
        json("embeddings text of 1,000,000 characters", EMBEDDINGS, "{\"input\":\"" + "w".repeat(1_000_000) + "\"}", refused());
        json("classify label of 10,001 characters", CLASSIFY, "{\"images\":[\"" + f.png() + "\"],\"labels\":[\"" + long10001 + "\"]}", refused());
        json("similarity text of 10,001 characters", SIMILARITY, "{\"images\":[\"" + f.png() + "\"],\"texts\":[\"" + long10001 + "\"]}", refused());
        json("upsert text of 10,001 characters", items(), upsert("{\"id\":\"long\",\"text\":\"" + long10001 + "\"}"), refused());
        json("search text of 10,001 characters", search(), searchBody("{\"text\":\"" + long10001 + "\"}", null), refused());
        String overContext = "ankle boot ".repeat(40).trim(); // 80 words: over the demo model's 16-token context
        json("text over the model's context with truncate none", EMBEDDINGS, "{\"input\":\"" + overContext + "\",\"truncate\":\"none\"}",
                problem(422, "text_too_long"));
        json("text over the model's context, default truncation", EMBEDDINGS, "{\"input\":\"" + overContext + "\"}", success());
        json("truncate with an unknown value", EMBEDDINGS, "{\"input\":\"boot\",\"truncate\":\"middle\"}", refused());
        json("embeddings empty text", EMBEDDINGS, "{\"input\":\"\"}", refused());
        json("embeddings blank text", EMBEDDINGS, "{\"input\":\" \\n\\t \"}", refused());
        json("embeddings text of zero-width spaces", EMBEDDINGS, "{\"input\":\"\\u200b\\u200b\"}", any());
        json("embeddings text of combining marks only", EMBEDDINGS, "{\"input\":\"" + "\\u0301".repeat(500) + "\"}", any());
    }

    private void encodings(String png) {
        String[][] garbage = {{"not base64", "!!!!"}, {"bad padding", "abc"}, {"only padding", "===="},
                {"data URL, bad base64", "data:image/png;base64,@@@@"}, {"data URL of HTML", "data:text/html;base64,PGh0bWw+"},
                {"data URL without ;base64", "data:image/png," + png}, {"data URL, empty", "data:image/png;base64,"},
                {"data URL of SVG", "data:image/svg+xml;base64," + Images.base64("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8))},
                {"data URL with a fragment", "data:image/png;base64," + png + "#x"},
                {"cloud metadata URL as an image", "http://169.254.169.254/latest/meta-data/"},
                {"file URL as an image", "file:///etc/passwd"}, {"javascript URL as an image", "javascript:alert(1)"},
                {"base64url alphabet", png.replace('+', '-').replace('/', '_')}};
        for (String[] g : garbage) {
            json("embeddings image: " + g[0], EMBEDDINGS, "{\"input\":[{\"image\":\"" + g[1] + "\"}]}", refused());
        }
        json("classify image: not base64", CLASSIFY, "{\"images\":[\"!!!!\"],\"labels\":[\"a\"]}", refused());
        json("similarity image: data URL of HTML", SIMILARITY, "{\"images\":[\"data:text/html;base64,PGh0bWw+\"],\"texts\":[\"a\"]}", refused());
        json("upsert image: not base64", items(), upsert("{\"id\":\"nb\",\"image\":\"!!!!\"}"), refused());
        json("search image: not base64", search(), searchBody("{\"image\":\"%%%%\"}", null), refused());
        String[][] tricks = {{"data URL without a media type", "data:;base64," + png},
                {"data URL in capitals", "DATA:image/png;base64," + png},
                {"data URL with a charset", "data:image/png;charset=utf-8;base64," + png},
                {"data URL with 3,000 parameters", "data:image/png;" + "a=b;".repeat(3000) + "base64," + png},
                {"data URL claiming JPEG for a PNG", "data:image/jpeg;base64," + png},
                {"base64 wrapped at 76 columns", png.replaceAll("(.{76})", "$1\\\\n")}};
        for (String[] t : tricks) {
            json("embeddings image: " + t[0], EMBEDDINGS, "{\"input\":[{\"image\":\"" + t[1] + "\"}]}", any());
        }
        json("embeddings element image_url", EMBEDDINGS, "{\"input\":[{\"image_url\":\"http://example.com/a.png\"}]}", refused());
        json("job image_url file scheme", JOBS, "{\"type\":\"embed\",\"items\":[{\"image_url\":\"file:///etc/passwd\"}]}", refused());
        json("job image_url gopher scheme", JOBS, "{\"type\":\"embed\",\"items\":[{\"image_url\":\"gopher://127.0.0.1:5432/\"}]}", refused());
        json("job image_url to the database port", JOBS, "{\"type\":\"embed\",\"items\":[{\"text\":\"boot\"},{\"image_url\":\"http://127.0.0.1:5432/\"}]}",
                any().job(JobOutcome.items(1, 1)));
        json("job image_url to cloud metadata", JOBS, "{\"type\":\"embed\",\"items\":[{\"text\":\"boot\"},{\"image_url\":\"http://169.254.169.254/latest/meta-data/\"}]}",
                any().job(JobOutcome.items(1, 1)));
        json("job image_url with credentials to localhost", JOBS, "{\"type\":\"embed\",\"items\":[{\"text\":\"boot\"},{\"image_url\":\"http://user:pw@localhost:8080/\"}]}",
                any().job(JobOutcome.items(1, 1)));
    }

    private void notImages() {
        byte[][] files = {"hello world".getBytes(StandardCharsets.UTF_8), "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1),
                Images.truncatedPng(60), "GIF89a".getBytes(StandardCharsets.US_ASCII), {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
                "RIFF\u0010\u0000\u0000\u0000WEBPVP8 garbage".getBytes(StandardCharsets.ISO_8859_1), "BM".getBytes(StandardCharsets.US_ASCII),
                {0}, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8)};
        String[] names = {"text", "PDF", "truncated PNG", "GIF header only", "JPEG SOI+EOI only", "WebP garbage", "BMP magic only",
                "one zero byte", "SVG"};
        for (int i = 0; i < files.length; i++) {
            json("embeddings not an image: " + names[i], EMBEDDINGS, "{\"input\":[{\"image\":\"" + Images.base64(files[i]) + "\"}]}", status(422));
        }
        json("classify not an image: PDF", CLASSIFY, "{\"images\":[\"" + Images.base64(files[1]) + "\"],\"labels\":[\"a\",\"b\"]}", status(422));
        json("similarity not an image: truncated PNG", SIMILARITY, "{\"images\":[\"" + Images.base64(files[2]) + "\"],\"texts\":[\"a\"]}", status(422));
        json("upsert not an image: text", items(), upsert("{\"id\":\"notimg\",\"image\":\"" + Images.base64(files[0]) + "\"}"), status(422));
        json("search image not an image: GIF header", search(), searchBody("{\"image\":\"" + Images.base64(files[3]) + "\"}", null), status(422));
        jsonl("upload line not an image", "type=embed", "{\"text\":\"boot\"}\n{\"image\":\"" + Images.base64(files[0]) + "\"}\n",
                any().job(JobOutcome.items(1, 1)));
    }

    private void bombs() {
        Object[][] bombs = {{"PNG 100,000 × 100,000", Images.pngBomb(100_000, 100_000)},
                {"PNG 1 × 2^31-1", Images.pngBomb(1, Integer.MAX_VALUE)}, {"PNG 50,000 × 50,000", Images.pngBomb(50_000, 50_000)},
                {"GIF 65,535 × 65,535", Images.gifBomb(65_535, 65_535)}, {"JPEG 65,500 × 65,500", Images.jpegBomb(65_500, 65_500)},
                {"BMP 30,000 × 30,000", Images.bmpBomb(30_000, 30_000)}, {"BMP negative height", Images.bmpBomb(30_000, -30_000)},
                {"WebP 16,384 × 16,384", Images.webpBomb(16_384, 16_384)}};
        for (Object[] bomb : bombs) {
            String b64 = Images.base64((byte[]) bomb[1]);
            json("embeddings decompression bomb: " + bomb[0], EMBEDDINGS, "{\"input\":[{\"image\":\"" + b64 + "\"}]}", status(422));
        }
        String png = Images.base64(Images.pngBomb(100_000, 100_000));
        json("classify decompression bomb", CLASSIFY, "{\"images\":[\"" + png + "\"],\"labels\":[\"a\",\"b\"]}", status(422));
        json("upsert decompression bomb", items(), upsert("{\"id\":\"bomb\",\"image\":\"" + png + "\"}"), status(422));
        json("search decompression bomb", search(), searchBody("{\"image\":\"" + png + "\"}", null), status(422));
        jsonl("upload line decompression bomb", "type=embed", "{\"text\":\"boot\"}\n{\"image\":\"" + png + "\"}\n",
                any().job(JobOutcome.items(1, 1)));
    }

    private void counts(String png) {
        Expect tooMany = refused();
        json("embeddings of 2,048 inputs (OpenAI's limit)", EMBEDDINGS, "{\"input\":" + io.montage.attack.inputs.Bodies.strings(2048, "t") + "}", success());
        json("embeddings of 2,049 inputs", EMBEDDINGS, "{\"input\":" + io.montage.attack.inputs.Bodies.strings(2049, "t") + "}",
                problem(413, "too_many_inputs"));
        json("embeddings of 257 images", EMBEDDINGS, "{\"input\":" + io.montage.attack.inputs.Bodies.array(257, i -> "{\"image\":\"" + png + "\"}")
                + "}", problem(422, "request_too_costly"));
        for (String tokens : new String[]{"[[1,2,3]]", "[1,2,3]", "[[]]", "7", "[\"boot\",[101,102]]", "[[1.5,2]]", "[[1e400]]"}) {
            json("embeddings of token ids " + tokens, EMBEDDINGS, "{\"input\":" + tokens + "}", refused());
        }
        json("embeddings of token ids (LangChain's default)", EMBEDDINGS, "{\"input\":[[1,2,3],[4,5]]}",
                problem(422, "token_ids_not_supported").and("names LangChain's setting",
                        r -> r.text().contains("check_embedding_ctx_length=False")));
        json("embeddings with the model alias default", EMBEDDINGS, "{\"model\":\"default\",\"input\":\"boot\"}", success());
        json("embeddings with the model DEFAULT (names are lower case)", EMBEDDINGS, "{\"model\":\"DEFAULT\",\"input\":\"boot\"}",
                problem(404, "model_not_found"));
        json("embeddings with the model default@1", EMBEDDINGS, "{\"model\":\"default@1\",\"input\":\"boot\"}", problem(404, "model_not_found"));
        json("embeddings of no inputs", EMBEDDINGS, "{\"input\":[]}", refused());
        json("classify of 257 images", CLASSIFY, "{\"images\":" + io.montage.attack.inputs.Bodies.array(257, i -> "\"" + png + "\"")
                + ",\"labels\":[\"a\"]}", tooMany);
        json("classify of no images", CLASSIFY, "{\"images\":[],\"labels\":[\"a\"]}", refused());
        json("classify of no labels", CLASSIFY, "{\"images\":[\"" + png + "\"],\"labels\":[]}", refused());
        json("classify of 1,001 labels", CLASSIFY, "{\"images\":[\"" + png + "\"],\"labels\":" + io.montage.attack.inputs.Bodies.strings(1001, "l") + "}", tooMany);
        json("classify duplicate labels", CLASSIFY, "{\"images\":[\"" + png + "\"],\"labels\":[\"a\",\"a\"]}", refused());
        json("classify template without {}", CLASSIFY, "{\"images\":[\"" + png + "\"],\"labels\":[\"a\"],\"templates\":[\"a photo\"]}", refused());
        json("similarity of no texts", SIMILARITY, "{\"images\":[\"" + png + "\"],\"texts\":[]}", refused());
        json("embeddings dimensions 64 (model has more)", EMBEDDINGS, "{\"input\":\"a\",\"dimensions\":64}", refused());
        json("embeddings dimensions equal to the model's (control)", EMBEDDINGS, "{\"input\":\"a\",\"dimensions\":" + f.dimension() + "}", success());
        json("embeddings encoding_format base64 (control)", EMBEDDINGS, "{\"input\":\"a\",\"encoding_format\":\"base64\"}", success());
        json("embeddings encoding_format unknown", EMBEDDINGS, "{\"input\":\"a\",\"encoding_format\":\"int8\"}", refused());
        json("embeddings unknown model", EMBEDDINGS, "{\"model\":\"no-such-model\",\"input\":\"a\"}", problem(404, "model_not_found"));
        json("embeddings model @ unknown version", EMBEDDINGS, "{\"model\":\"" + f.model().split("@")[0] + "@9.9.9\",\"input\":\"a\"}", refused());
        json("embeddings model reference with path characters", EMBEDDINGS, "{\"model\":\"../../etc/passwd\",\"input\":\"a\"}", refused());
        json("embeddings real JPEG (control)", EMBEDDINGS, "{\"input\":[{\"image\":\"data:image/jpeg;base64," + Images.base64(Images.jpeg()) + "\"}]}", success());
    }
}
