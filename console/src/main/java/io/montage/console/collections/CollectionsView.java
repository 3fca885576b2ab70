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
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.util.List;
import java.util.Locale;

/**
 * A tenant's collections and a search playground: "more like this item" over a collection, the hits with their
 * scores, metadata and thumbnails. Searching by text or image needs a worker's embedding of the query, which the
 * api's search does; the console reads only what is stored.
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
    private final ComboBox<Tenant> tenant = TenantChoice.box("collections-tenant");
    private final ComboBox<Collection> collection = new ComboBox<>("Collection");
    private final TextField itemId = new TextField("More like item");
    private final IntegerField topK = new IntegerField("Top k");
    private final Grid<SearchHit> hits = new Grid<>();

    public CollectionsView(TenantService tenants, Collections collections, CollectionSearch search, ModelRegistry models) {
        this.tenants = tenants;
        this.collections = collections;
        this.search = search;
        this.models = models;
        setSizeFull();
        Paragraph how = new Paragraph("Pick an item of a collection: its nearest items come back as the api's search "
                + "ranks them. Searching by text or image: POST /v1/collections/{name}/search with the tenant's key.");
        add(new H2("Collections and search"), how, form(), hits);
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
        itemId.setId("search-item");
        topK.setId("search-top-k");
        topK.setMin(1);
        topK.setMax(MAX_TOP_K);
        topK.setValue(10);
        Button go = new Button("Search", e -> search());
        go.setId("search");
        go.addThemeVariants(ButtonVariant.PRIMARY);
        HorizontalLayout form = new HorizontalLayout(tenant, collection, itemId, topK, go);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        return form;
    }

    private void columns() {
        hits.setId("hits");
        hits.addComponentColumn(this::thumbnail).setHeader("").setAutoWidth(true);
        hits.addColumn(SearchHit::itemId).setHeader("Item").setAutoWidth(true);
        hits.addColumn(h -> String.format(Locale.ROOT, "%.4f", h.score())).setHeader("Score").setAutoWidth(true);
        hits.addColumn(SearchHit::metadataJson).setHeader("Metadata").setFlexGrow(1);
    }

    private void search() {
        Collection chosen = collection.getValue();
        if (tenant.getValue() == null || chosen == null) {
            Feedback.error("Pick a tenant and one of its collections.");
            return;
        }
        int k = topK.getValue() == null ? 10 : Math.clamp(topK.getValue(), 1, MAX_TOP_K);
        Feedback.attempt(() -> {
            float[] vector = collections.embeddingOf(tenant.getValue().id(), chosen.id(), itemId.getValue().strip());
            int dimension = models.find(chosen.modelId()).orElseThrow().manifest().embeddingDim();
            hits.setItems(search.search(tenant.getValue().id(), chosen, dimension,
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
