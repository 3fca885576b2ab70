package io.montage.console.models;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.montage.console.navigation.Format;
import io.montage.models.Model;
import io.montage.models.ModelManifest;
import io.montage.models.ModelVariant;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One model version spelled out: everything its manifest says (how inputs are preprocessed is where serving
 * drifts from training, so all of it), where it came from, the other versions of its name, the tenants that use it
 * by default and the workers that serve it.
 */
final class ModelDetails extends VerticalLayout {

    /** What the view knows about a model besides its row. */
    record Context(List<Model> versions, List<String> defaultOf, String servedBy) {
    }

    private final Consumer<UUID> select;
    private final H3 title = new H3();
    private final DescriptionList facts = new DescriptionList();
    /** What {@link #show} rendered last, to render again only when something changed. */
    private List<Object> showing;

    ModelDetails(Consumer<UUID> select) {
        this.select = select;
        setId("model-details");
        setVisible(false);
        getStyle().set("border", "1px solid var(--lumo-contrast-10pct)")
                .set("border-radius", "var(--lumo-border-radius-m)");
        facts.getStyle().set("display", "grid").set("grid-template-columns", "max-content 1fr")
                .set("gap", "var(--lumo-space-xs) var(--lumo-space-m)").set("margin", "0")
                .set("font-size", "var(--lumo-font-size-s)");
        Button close = new Button("Close", e -> select.accept(null));
        close.setId("close-model-details");
        close.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.TERTIARY);
        HorizontalLayout head = new HorizontalLayout(title, close);
        head.setAlignItems(Alignment.BASELINE);
        add(head, facts);
    }

    void show(Model model, Context context) {
        List<Object> now = List.of(model, context, ModelsView.statusText(model));
        if (now.equals(showing)) {
            return; // as shown: keep the buttons, a click may be on its way to one of them
        }
        showing = now;
        ModelManifest m = model.manifest();
        title.setText(model.reference());
        facts.removeAll();
        fact("Status", ModelsView.statusText(model));
        fact("Versions", versions(model, context.versions()));
        fact("Default of", orNone(String.join(", ", context.defaultOf()), "no tenant"));
        fact("Served by", orNone(context.servedBy(), "no live worker"));
        fact("Kind", m.kind() + " (" + m.format() + ")");
        if (m.fused()) {
            fact("Output", ModelsView.output(m.output()) + ", " + m.precision());
        } else {
            fact("Embeddings", m.embeddingDim() + " dimensions, " + (m.normalize() ? "L2-normalized" : "not normalized")
                    + ", logit scale " + m.logitScale() + ", " + m.precision());
        }
        if (m.variant() != null) {
            fact("Variant", variant(m.variant()));
            fact("Fidelity (measured)", fidelity(m.variant().fidelity()));
            if (m.variant().speed() != null) {
                fact("Speed (measured)", speed(m.variant().speed()));
            }
        }
        fact("Image input", image(m.image()));
        fact("Text input", m.text() == null ? "none" : "tokenizer " + m.text().tokenizer() + ", "
                + m.text().contextLength() + " tokens (padded with id " + m.text().padId() + ")");
        fact("Engine", engine(m));
        fact("Zero-shot templates", m.zeroShotTemplates() == null ? "none"
                : m.zeroShotTemplates().stream().map(t -> "“" + t + "”").collect(Collectors.joining("  ")));
        fact("Files (sha256)", files(m.files()));
        fact("License", m.license());
        fact("Registered", Format.instant(model.createdAt()) + " from " + model.source());
        fact("Stored at", model.bundlePath().toString());
        setVisible(true);
    }

    void hide() {
        showing = null;
        setVisible(false);
    }

    /** What runs the model and from which files: TorchScript methods on libtorch, or ONNX graphs on OnnxRuntime. */
    private static String engine(ModelManifest m) {
        if (m.onOnnxRuntime()) {
            ModelManifest.Onnx g = m.onnx();
            return "onnxruntime: " + (m.fused() ? "predict " + g.predict() : "image " + g.image() + ", text " + g.text());
        }
        return "pytorch: " + m.torchscript().file() + " (" + (m.fused() ? m.torchscript().predictMethod()
                : m.torchscript().imageMethod() + ", " + m.torchscript().textMethod()) + ")";
    }

    private static String variant(ModelVariant v) {
        return v.method() + " of " + v.of().name() + "@" + v.of().version() + " (model.pt " + v.of().modelSha256()
                + ")" + (v.description() == null ? "" : ": " + v.description());
    }

    /** Against the fp32 bundle, as the manifest records it: clip per tower, fused per probability and accuracy. */
    private static String fidelity(ModelVariant.Fidelity f) {
        String numbers = f.maxAbsProbDiff() != null
                ? "max |Δ probability| " + f.maxAbsProbDiff() + ", held-out accuracy "
                + percent(f.heldoutAccuracy()) + " (fp32 " + percent(f.fp32HeldoutAccuracy()) + ")"
                : "cosine with fp32: image min " + f.imageCosineMin() + " / mean " + f.imageCosineMean()
                + ", text min " + f.textCosineMin() + " / mean " + f.textCosineMean();
        return numbers + "; on " + f.reference() + (f.engine() == null ? "" : ", kernels " + f.engine());
    }

    private static String percent(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.2f %%", share * 100);
    }

    /** Items/s at each batch size, each with its ratio to the fp32 bundle measured in the same run. */
    private static String speed(ModelVariant.Speed s) {
        StringBuilder out = new StringBuilder();
        s.itemsPerSecond().forEach((tower, byBatch) -> {
            out.append(tower).append(':');
            byBatch.forEach((batch, rate) -> {
                Double fp32 = s.fp32ItemsPerSecond().getOrDefault(tower, Map.of()).get(batch);
                out.append(" B=").append(batch).append(' ').append(Math.round(rate)).append("/s");
                if (fp32 != null && fp32 > 0) {
                    out.append(String.format(Locale.ROOT, " (%.2f× fp32)", rate / fp32));
                }
            });
            out.append("; ");
        });
        return out + "on " + s.machine();
    }

    private static String image(ModelManifest.Image i) {
        if (i == null) {
            return "none";
        }
        return i.colorMode() + " (" + i.channels() + (i.channels() == 1 ? " channel" : " channels") + "); resize "
                + i.resize() + " to " + i.resizeSize() + " px, " + i.interpolation() + "; crop " + i.crop() + " "
                + i.cropSize() + "² px (offset " + i.cropRounding() + "); normalize mean " + i.mean() + ", std "
                + i.std();
    }

    private Component versions(Model shown, List<Model> versions) {
        HorizontalLayout buttons = new HorizontalLayout();
        buttons.setSpacing(false);
        buttons.getStyle().set("gap", "var(--lumo-space-xs)").set("flex-wrap", "wrap");
        for (Model version : versions) {
            Button button = new Button(version.version() + " (" + version.status().wireName() + ")",
                    e -> select.accept(version.id()));
            button.setId("model-version-" + version.id());
            button.addThemeVariants(ButtonVariant.SMALL, version.id().equals(shown.id()) ? ButtonVariant.PRIMARY
                    : ButtonVariant.TERTIARY);
            buttons.add(button);
        }
        return buttons;
    }

    private static Component files(Map<String, String> files) {
        Div list = new Div();
        list.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)");
        new TreeMap<>(files).forEach((file, sha) -> list.add(new Div(file + " " + sha)));
        return list;
    }

    private static String orNone(String value, String none) {
        return value.isEmpty() ? none : value;
    }

    private void fact(String term, String description) {
        fact(term, new Text(description));
    }

    private void fact(String term, Component description) {
        DescriptionList.Description value = new DescriptionList.Description(description);
        value.getStyle().set("margin", "0");
        facts.add(new DescriptionList.Term(term), value);
    }
}
