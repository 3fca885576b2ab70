package io.montage.jobs;

import java.util.UUID;

/**
 * What a {@link QueueChannels#TASKS} notification says: tasks of this priority, model (null: none needed) and type
 * became claimable. A worker that does not serve the type or the model ignores it, and one told of interactive work
 * claims that alone, without the general claim beside it (which found nothing after a sync request's task: one
 * transaction per request). Payload {@code priority:model:type}, the model empty when null.
 */
public record TaskAnnouncement(int priority, UUID modelId, String type) {

    /** The payload as the enqueue statement writes it, from the row {@code alias} (a job or a task). */
    static String payloadSql(String alias) {
        return alias + ".priority || ':' || coalesce(" + alias + ".model_id::text, '') || ':' || " + alias + ".type";
    }

    static TaskAnnouncement of(ClaimedTask task) {
        return new TaskAnnouncement(task.priority(), task.modelId(), task.type());
    }

    String payload() {
        return priority + ":" + (modelId == null ? "" : modelId) + ":" + type;
    }

    /**
     * The announcement a payload makes; null when it says nothing this format can read (a node of an earlier
     * version sent the type alone): the listener then looks at the queue anyway.
     */
    public static TaskAnnouncement parse(String payload) {
        int afterPriority = payload.indexOf(':');
        int afterModel = afterPriority < 0 ? -1 : payload.indexOf(':', afterPriority + 1);
        if (afterModel < 0) {
            return null;
        }
        try {
            String model = payload.substring(afterPriority + 1, afterModel);
            return new TaskAnnouncement(Integer.parseInt(payload, 0, afterPriority, 10),
                    model.isEmpty() ? null : UUID.fromString(model), payload.substring(afterModel + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public boolean interactive() {
        return Priority.isInteractive(priority);
    }
}
