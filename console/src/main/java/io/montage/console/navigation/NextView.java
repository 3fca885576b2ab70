package io.montage.console.navigation;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;

import java.util.Map;

/**
 * The places in the navigation whose screens come next (the evaluation issue's): each says
 * what it will show and what to use until then, instead of a dead link.
 */
@Prototype
@Route(value = "evaluations", layout = MainLayout.class)
@PageTitle("Next · Montage console")
public class NextView extends VerticalLayout implements BeforeEnterObserver {

    private record Place(String title, String plan) {
    }

    private static final Map<String, Place> PLACES = Map.of(
            "evaluations", new Place("Evaluation runs", "Evaluation runs arrive with the evaluation issue."));

    private final H2 title = new H2();
    private final Paragraph plan = new Paragraph();

    public NextView() {
        plan.setId("next-plan");
        add(title, plan);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Place place = PLACES.getOrDefault(event.getLocation().getFirstSegment(), PLACES.get("evaluations"));
        title.setText(place.title() + " (next)");
        plan.setText(place.plan());
    }
}
