package io.montage.datasets;

import io.montage.errors.MontageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An upload's files are staged within the limit and read as the form they make; closing deletes them. */
class StagedUploadTest {

    private static ByteArrayInputStream bytes(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void theFilesMakeTheirForm() throws IOException {
        try (StagedUpload zip = new StagedUpload(1000)) {
            zip.receive(bytes(new byte[]{'P', 'K'}), "pets.zip");
            assertInstanceOf(ClassFolders.class, zip.source(List.of()));
        }
        try (StagedUpload captions = new StagedUpload(1000)) {
            captions.receive(bytes("{}".getBytes()), "c.jsonl");
            assertInstanceOf(CaptionLines.class, captions.source(List.of()));
            captions.receive(bytes(new byte[]{'P', 'K'}), "images.zip");
            assertEquals("captions c.jsonl + images.zip", captions.source(List.of()).describe());
        }
        try (StagedUpload idx = new StagedUpload(1000)) {
            idx.receive(bytes(new byte[]{0, 0, 8, 1, 0, 0, 0, 0}), "whatever-a");
            idx.receive(bytes(gzip(new byte[]{0, 0, 8, 3, 0, 0, 0, 0})), "whatever-b.gz");
            assertEquals("idx whatever-b.gz + whatever-a", idx.source(List.of()).describe(),
                    "images and labels told apart by their magic numbers");
            MontageException third = assertThrows(MontageException.class, () -> idx.receive(bytes(new byte[1]), "x"));
            assertEquals("dataset_upload_files", third.code());
        }
        try (StagedUpload neither = new StagedUpload(1000)) {
            neither.receive(bytes(new byte[8]), "a.bin");
            neither.receive(bytes(new byte[8]), "b.bin");
            MontageException form = assertThrows(MontageException.class, () -> neither.source(List.of()));
            assertEquals("dataset_upload_form", form.code());
            assertTrue(form.getMessage().contains("a.bin, b.bin"), form.getMessage());
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedAndNothingOfItStaysAndClosingDeletesTheRest() throws IOException {
        Path dir;
        try (StagedUpload upload = new StagedUpload(10)) {
            upload.receive(bytes(new byte[10]), "../../etc/ok.zip");
            MontageException big = assertThrows(MontageException.class, () -> upload.receive(bytes(new byte[11]),
                    "big.zip"));
            assertEquals("dataset_upload_too_large", big.code());
            assertEquals(List.of("ok.zip"), upload.fileNames().stream().map(n -> n.replace(".._.._etc_", ""))
                    .toList());
            dir = ((ClassFolders) upload.source(List.of())).path().getParent().getParent();
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "the refused file's folder is gone");
            }
        }
        assertFalse(Files.exists(dir));
    }
}
