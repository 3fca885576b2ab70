package io.montage.jobs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskAnnouncementTest {

    @Test
    void aReleasedTasksAnnouncementReadsBackAsWritten() {
        UUID model = UUID.randomUUID();
        ClaimedTask task = new ClaimedTask(7, UUID.randomUUID(), UUID.randomUUID(), "embed", Priority.INTERACTIVE,
                model, "{}", 1, 3, UUID.randomUUID(), Instant.now(), 0, null, null);

        TaskAnnouncement read = TaskAnnouncement.parse(TaskAnnouncement.of(task).payload());

        assertEquals(new TaskAnnouncement(Priority.INTERACTIVE, model, "embed"), read);
        assertTrue(read.interactive());
    }

    @Test
    void noModelAndAColonInTheTypeSurvive() {
        TaskAnnouncement bulk = new TaskAnnouncement(Priority.BULK, null, "a:b");

        assertEquals(bulk, TaskAnnouncement.parse(bulk.payload()));
        assertFalse(bulk.interactive());
    }

    @Test
    void aPayloadOfAnotherFormatSaysNothing() {
        assertNull(TaskAnnouncement.parse("embed"), "an earlier node's payload: the type alone");
        assertNull(TaskAnnouncement.parse("x:y:embed"));
        assertNull(TaskAnnouncement.parse("100:not-a-uuid:embed"));
    }
}
