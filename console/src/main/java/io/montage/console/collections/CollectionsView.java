package io.montage.console.collections;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.micronaut.context.annotation.Prototype;
import io.montage.collections.Collection;
import io.montage.collections.CollectionSearch;
import io.montage.collections.Collections;
import io.montage.collections.MetadataFilter;
import io.montage.collections.SearchHit;
import io.montage.collections.SearchRequest;
import io.montage.console.access.Feedback;
import io.montage.console.navigation.MainLayout;
import io.montage.console.navigation.TenantChoice;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.util.List;
import java.util.Locale;

/**
 * A tenant's collections and a search playground: search a collection by a typed text, an uploaded image or one of
 * its items ("more like this", also by clicking a hit), and see the hits with their scores, metadata and
 * thumbnails. Texts and images are embedded by a worker through the queue ({@link QueryEmbedder}); an item's stored
 * vector is used as it is.
 */
@Prototype
@Route(value = "collections", layout = MainLayout.class)
@PageTitle("Collections and search · Montage console")
public class CollectionsView extends VerticalLayout implements BeforeEnterObserver {

    static final int MAX_TOP_K = 100;

    private final TenantService tenants;
    private final Collections collections;
    private final CollectionSearch search;
    private final ModelRegistry models;
    private final QueryEmbedder embedder;
    private final ComboBox<Tenant> tenant = TenantChoice.box("collections-tenant");
    private final ComboBox<Collection> collection = new ComboBox<>("Collection");
    private final TextField text = new TextField("Text");
    private final TextField itemId = new TextField("More like item");
    private final IntegerField topK = new IntegerField("Top k");
    private final Grid<SearchHit> hits = new Grid<>();

    public CollectionsView(TenantService tenants, Collections collections, CollectionSearch search, ModelRegistry models,
                           QueryEmbedder embedder, PlaygroundConfig config) {
        this.tenants = tenants;
        this.collections = collections;
        this.search = search;
        this.models = models;
        this.embedder = embedder;
        setSizeFull();
        Paragraph how = new Paragraph("Search a collection by a text, an image or one of its items: the hits come back "
                + "as the api's search ranks them. Click a hit for more like it.");
        add(new H2("Collections and search"), how, form(), queries(config), hits);
        columns();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        TenantChoice.fill(tenant, tenants, event);
    }

    private HorizontalLayout form() {
        tenant.addValueChangeListener(e -> {
            List<Collection> found = e.getValue() == null ? List.of() : collections.list(e.getValue().id());
            collection.setItems(found);
            collection.setValue(found.isEmpty() ? null : found.getFirst());
        });
        collection.setId("collections-collection");
        collection.setItemLabelGenerator(c -> c.name() + " (" + c.itemCount() + " items)");
        topK.setId("search-top-k");
        topK.setMin(1);
        topK.setMax(MAX_TOP_K);
        topK.setValue(10);
        return row(tenant, collection, topK);
    }

    /** The three ways to ask: a text, an image, an item of the collection. */
    private HorizontalLayout queries(PlaygroundConfig config) {
        text.setId("search-text");
        text.setMaxLength(config.maxTextChars());
        text.setPlaceholder("e.g. ankle boot");
        Button byText = button("search-by-text", "Search text", () -> search((owner, in, model) ->
                embedder.text(owner.id(), model, text.getValue().strip())));
        itemId.setId("search-item");
        Button byItem = button("search", "More like item", () -> moreLike(itemId.getValue().strip()));
        Upload image = new Upload(new QueryImageUpload(config.maxImageBytes(), bytes -> search((owner, in, model) ->
                embedder.image(owner.id(), model, bytes))));
        image.setId("search-image");
        image.setMaxFiles(1);
        image.setMaxFileSize(config.maxImageBytes());
        image.setAcceptedFileTypes("image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp");
        image.setUploadButton(new Button("Search by image…"));
        image.setDropLabel(new Span("or drop one here"));
        image.addFileRejectedListener(e -> Feedback.error(e.getErrorMessage()));
        return row(text, byText, itemId, byItem, image);
    }

    private static Button button(String id, String label, Runnable action) {
        Button button = new Button(label, e -> action.run());
        button.setId(id);
        button.addThemeVariants(ButtonVariant.PRIMARY);
        return button;
    }

    private static HorizontalLayout row(Component... components) {
        HorizontalLayout row = new HorizontalLayout(components);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        row.setWrap(true);
        return row;
    }

    private void columns() {
        hits.setId("hits");
        hits.addComponentColumn(this::thumbnail).setHeader("").setAutoWidth(true);
        hits.addColumn(SearchHit::itemId).setHeader("Item").setAutoWidth(true);
        hits.addColumn(h -> String.format(Locale.ROOT, "%.4f", h.score())).setHeader("Score").setAutoWidth(true);
        hits.addColumn(SearchHit::metadataJson).setHeader("Metadata").setFlexGrow(1);
        hits.addItemClickListener(click -> {
            itemId.setValue(click.getItem().itemId());
            moreLike(click.getItem().itemId());
        });
    }

    /** Where a search's vector comes from, given the collection, its owner and its model. */
    @FunctionalInterface
    private interface Query {
        float[] vector(Tenant owner, Collection in, Model model);
    }

    private void moreLike(String item) {
        search((owner, in, model) -> collections.embeddingOf(owner.id(), in.id(), item));
    }

    private void search(Query query) {
        Collection chosen = collection.getValue();
        Tenant owner = tenant.getValue();
        if (owner == null || chosen == null) {
            Feedback.error("Pick a tenant and one of its collections.");
            return;
        }
        int k = topK.getValue() == null ? 10 : Math.clamp(topK.getValue(), 1, MAX_TOP_K);
        Feedback.attempt(() -> {
            Model model = models.find(chosen.modelId()).orElseThrow();
            float[] vector = query.vector(owner, chosen, model);
            hits.setItems(search.search(owner.id(), chosen, model.manifest().embeddingDim(),
                    new SearchRequest(vector, k, MetadataFilter.NONE, false)));
        });
    }

    private Component thumbnail(SearchHit hit) {
        Tenant owner = tenant.getValue();
        Collection in = collection.getValue();
        byte[] bytes = collections.thumbnailOf(owner.id(), in.id(), hit.itemId());
        if (bytes == null) {
            return new Span("—");
        }
        Image image = new Image((DownloadHandler) event -> {
            event.setContentType("image/jpeg");
            event.getOutputStream().write(bytes);
        }, hit.itemId());
        image.setHeight("48px");
        image.addClassName("thumbnail");
        return image;
    }
}
