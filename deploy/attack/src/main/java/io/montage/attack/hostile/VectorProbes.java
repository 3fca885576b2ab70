package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Bodies;

import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.success;

/**
 * Raw vectors that cannot be stored faithfully at half precision or have no direction: underflow to all zeros
 * (128 × 1e-8 once passed the zero check and turned every score into "NaN"), overflow, NaN and Infinity as
 * strings, the wrong dimension, a million values. (That searches still score with numbers
 * afterwards is checked once every probe has run.)
 */
final class VectorProbes extends Catalogue {

    VectorProbes(Keys keys, Fixtures fixtures) {
        super("vector", keys, fixtures);
    }

    private int badVectors;

    /**
     * Each bad vector under its own item id: one the server wrongly stores stays in the collection, and the checks
     * after the run see what it does to the scores.
     */
    private void bad(String description, String vector) {
        json("upsert " + description, items(), upsert("{\"id\":\"bad-vector-" + ++badVectors + "\",\"vector\":" + vector + "}"), refused());
        json("search " + description, search(), searchBody("{\"vector\":" + vector + "}", null), refused());
    }

    @Override
    void build() {
        int n = f.dimension();
        bad("half-precision underflow (all 1e-8)", Bodies.vector(n, "1e-8"));
        bad("half-precision underflow (all 2e-8)", Bodies.vector(n, "2e-8"));
        bad("one 1e-8, the rest 0", Bodies.array(n, i -> i == 0 ? "1e-8" : "0"));
        bad("all -0.0", Bodies.vector(n, "-0.0"));
        bad("\"NaN\" strings", Bodies.vector(n, "\"NaN\""));
        bad("\"Infinity\" strings", Bodies.vector(n, "\"Infinity\""));
        bad("\"-Infinity\" in one place", Bodies.array(n, i -> i == 3 ? "\"-Infinity\"" : "0.1"));
        bad("1e39 (over float)", Bodies.array(n, i -> i == 0 ? "1e39" : "0.1"));
        bad("65505 (over half precision)", Bodies.array(n, i -> i == 0 ? "65505" : "0.1"));
        bad("-70000", Bodies.array(n, i -> i == 1 ? "-70000" : "0.1"));
        bad("no values", "[]");
        bad("one value too few", Bodies.vector(n - 1, "0.1"));
        bad("one value too many", Bodies.vector(n + 1, "0.1"));
        bad("4,096 values", Bodies.vector(4096, "0.1"));
        bad("1,000,000 values", Bodies.vector(1_000_000, "0.1"));
        bad("a boolean inside", Bodies.array(n, i -> i == 0 ? "true" : "0.1"));
        bad("a nested array inside", Bodies.array(n, i -> i == 0 ? "[0.1]" : "0.1"));
        bad("null inside", Bodies.array(n, i -> i == 0 ? "null" : "0.1"));
        json("upsert vector of small but representable values (1e-4)", items(),
                upsert("{\"id\":\"small-vector\",\"vector\":" + Bodies.vector(n, "1e-4") + "}"), success());
        json("upsert vector at the half-precision limit (65504)", items(),
                upsert("{\"id\":\"max-vector\",\"vector\":" + Bodies.array(n, i -> i == 0 ? "65504" : "1") + "}"), success());
    }
}
