package io.montage.console.browser;

import io.montage.collections.Collection;
import io.montage.collections.Collections;
import io.montage.collections.NewCollectionItem;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search playground ranks a collection's items like an item, with the thumbnails the items were stored with, and
 * says plainly when a text or image query cannot be embedded (no worker runs here: the whole-platform flow,
 * deploy/e2e, searches by text and image with a real one).
 */
class CollectionsBrowserTest extends AdminBrowserTest {

    @Test
    void moreLikeAnItemRanksTheNearestFirstWithTheirThumbnails() throws IOException {
        Tenant tenant = Console.bean(TenantService.class).create("coll-" + UUID.randomUUID().toString().substring(0, 6),
                "Collections tenant");
        Model model = FakeBundle.registerReady(Console.bean(ModelRegistry.class), "console-search");
        Collections collections = Console.bean(Collections.class);
        Collection catalog = collections.create(tenant.id(), "catalog", model);
        collections.upsert(tenant.id(), catalog.id(), model.id(), List.of(
                item("red-shoe", "{\"color\": \"red\"}", jpeg(Color.RED), 1, 0),
                item("pink-shoe", "{\"color\": \"pink\"}", jpeg(Color.PINK), 0.9f, 0.43589f),
                item("blue-bag", "{\"color\": \"blue\"}", null, 0, 1)));

        browser.open("collections?tenant=" + tenant.slug());
        browser.find("collections-collection");
        browser.type("search-item", "red-shoe");
        browser.click("search");
        String hits = browser.awaitText("hits", "blue-bag");
        assertTrue(hits.indexOf("red-shoe") < hits.indexOf("pink-shoe") && hits.indexOf("pink-shoe") < hits.indexOf("blue-bag"),
                hits);
        assertTrue(hits.contains("\"pink\""), hits);
        browser.waitFor().until(d -> d.findElements(By.cssSelector("#hits img.thumbnail")).size() == 2
                && d.findElements(By.cssSelector("#hits img.thumbnail")).stream().allMatch(img -> (Boolean)
                ((JavascriptExecutor) d).executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img)));
        browser.screenshot("14-collections-search");
        assertEquals(2, browser.driver().findElements(By.cssSelector("#hits img.thumbnail")).size());
    }

    @Test
    void aTextOrImageQueryWithNoWorkerServingTheModelSaysSo() throws IOException {
        Tenant tenant = Console.bean(TenantService.class).create("play-" + UUID.randomUUID().toString().substring(0, 6),
                "Playground tenant");
        Model model = FakeBundle.registerReady(Console.bean(ModelRegistry.class), "console-play");
        Console.bean(Collections.class).create(tenant.id(), "shoes", model);

        browser.open("collections?tenant=" + tenant.slug());
        browser.awaitValue("collections-collection", "shoes");
        browser.type("search-text", "red shoe");
        browser.click("search-by-text");
        String said = browser.awaitNotification("no running worker serves " + model.reference());
        assertTrue(said.contains("(no_worker_for_model)"), said);
        browser.dismissNotifications();

        Path image = Files.createTempFile("query", ".jpg");
        try {
            Files.write(image, jpeg(Color.RED));
            browser.upload("search-image", image);
            browser.awaitNotification("no running worker serves " + model.reference());
        } finally {
            Files.delete(image);
        }
    }

    private static NewCollectionItem item(String id, String metadata, byte[] thumbnail, float x, float y) {
        float[] embedding = new float[8];
        embedding[0] = x;
        embedding[1] = y;
        return new NewCollectionItem(id, metadata, id, null, thumbnail, embedding);
    }

    private static byte[] jpeg(Color color) throws IOException {
        BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 48, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }
}
