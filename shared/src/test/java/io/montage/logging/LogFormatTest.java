package io.montage.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped logback.xml: text by default, one JSON object a line with MONTAGE_LOG_FORMAT=json, MDC included. */
class LogFormatTest {

    /** The root logger's appenders once logback.xml is read with {@code format} as MONTAGE_LOG_FORMAT. */
    private static List<Appender<ILoggingEvent>> rootAppenders(String format) throws JoranException {
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty("MONTAGE_LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appenders::add);
        return appenders;
    }

    private static String encode(Appender<ILoggingEvent> appender, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent("test", (Logger) org.slf4j.LoggerFactory.getLogger("io.montage.test"),
                Level.INFO, "task {} done, \"quoted\"\nsecond line", null, new Object[] {42});
        event.setMDCPropertyMap(mdc);
        byte[] bytes = ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder().encode(event);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void textIsTheDefaultAndShowsTheRequestIdWhenThereIsOne() throws JoranException {
        List<Appender<ILoggingEvent>> appenders = rootAppenders(null);
        assertEquals(List.of("text"), appenders.stream().map(Appender::getName).toList());
        String line = encode(appenders.getFirst(), Map.of("request_id", "req-7"));
        assertTrue(line.contains("io.montage.test [req-7] - task 42 done"), line);
        String without = encode(appenders.getFirst(), Map.of());
        assertTrue(without.contains("io.montage.test - task 42 done"), without);
    }

    @Test
    void jsonWritesOneParsableObjectALineWithTheMdc() throws JoranException, IOException {
        List<Appender<ILoggingEvent>> appenders = rootAppenders("json");
        assertEquals(List.of("json"), appenders.stream().map(Appender::getName).toList());
        String line = encode(appenders.getFirst(), Map.of("request_id", "req-7", "task_id", "12"));
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        JsonNode json = JsonMapper.createDefault().readValue(line, JsonNode.class);
        assertEquals("INFO", json.get("level").getStringValue());
        assertEquals("io.montage.test", json.get("loggerName").getStringValue());
        assertEquals("task 42 done, \"quoted\"\nsecond line", json.get("formattedMessage").getStringValue());
        assertEquals("req-7", json.get("mdc").get("request_id").getStringValue());
    }
}
