package io.montage.console.evaluations;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A two-class run's CSV written out by hand, line by line, and the escaping of hostile labels. */
class ResultsCsvTest {

    @Test
    void aZeroShotModelAndAFailedOneAreWrittenOneNumberALine() {
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("top1_accuracy", 0.75);
        gate.put("macro_f1", 0.7333333333333334);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("gate", gate);
        // rows true, columns predicted: 2 cats right, 1 cat taken for a dog, the dog right
        results.put("per_class", List.of(perClass("cat", 3, 2, 2, 1.0, 0.6666666666666666, 0.8),
                perClass("dog", 1, 2, 1, 0.5, 1.0, 0.6666666666666666)));
        results.put("confusion_matrix", List.of(List.of(2, 1), List.of(0, 1)));
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("items_per_second", null); // a run too short to time
        cost.put("peak_rss_bytes", 1048576L);
        ModelOutcome measured = new ModelOutcome(0, "m@1", "ab", results, cost, null);
        ModelOutcome failed = new ModelOutcome(1, "n@2", "cd", null, null, "the model's job failed, \"why\"");

        String csv = ResultsCsv.of(List.of(measured, failed), List.of("cat", "dog"));

        assertEquals(String.join("\r\n",
                "model,model_sha256,metric,class,predicted_class,value",
                "m@1,ab,top1_accuracy,,,0.75",
                "m@1,ab,macro_f1,,,0.7333333333333334",
                "m@1,ab,support,cat,,3",
                "m@1,ab,predictions,cat,,2",
                "m@1,ab,correct,cat,,2",
                "m@1,ab,precision,cat,,1",
                "m@1,ab,recall,cat,,0.6666666666666666",
                "m@1,ab,f1,cat,,0.8",
                "m@1,ab,support,dog,,1",
                "m@1,ab,predictions,dog,,2",
                "m@1,ab,correct,dog,,1",
                "m@1,ab,precision,dog,,0.5",
                "m@1,ab,recall,dog,,1",
                "m@1,ab,f1,dog,,0.6666666666666666",
                "m@1,ab,confusion,cat,cat,2",
                "m@1,ab,confusion,cat,dog,1",
                "m@1,ab,confusion,dog,cat,0",
                "m@1,ab,confusion,dog,dog,1",
                "m@1,ab,items_per_second,,,",
                "m@1,ab,peak_rss_bytes,,,1048576",
                "n@2,cd,failure,,,\"the model's job failed, \"\"why\"\"\"") + "\r\n", csv);
    }

    @Test
    void aLabelASpreadsheetWouldRunIsDefusedAndQuoted() {
        assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", ResultsCsv.text("=HYPERLINK(\"x\")"));
        assertEquals("\"'=SUM(A1,A2)\"", ResultsCsv.text("=SUM(A1,A2)"));
        assertEquals("'+1", ResultsCsv.text("+1"));
        assertEquals("'@cmd", ResultsCsv.text("@cmd"));
        assertEquals("\"a\nb\"", ResultsCsv.text("a\nb"));
        assertEquals("ankle boot", ResultsCsv.text("ankle boot"));
    }

    @Test
    void numbersArePlainDecimals() {
        assertEquals("0.0001", ResultsCsv.number(1e-4));
        assertEquals("1", ResultsCsv.number(1.0));
        assertEquals("42", ResultsCsv.number(42L));
        assertEquals("0", ResultsCsv.number(-0.0));
    }

    private static Map<String, Object> perClass(String label, int support, int predictions, int correct,
                                                Double precision, Double recall, Double f1) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("label", label);
        row.put("support", support);
        row.put("predictions", predictions);
        row.put("correct", correct);
        row.put("precision", precision);
        row.put("recall", recall);
        row.put("f1", f1);
        return row;
    }
}
