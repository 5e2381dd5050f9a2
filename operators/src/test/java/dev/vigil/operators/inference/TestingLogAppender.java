package dev.vigil.operators.inference;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures what one class logs through log4j (the slf4j binding of the tests), to assert on user-visible log lines.
 *
 * <pre>{@code
 * try (TestingLogAppender log = TestingLogAppender.attach(OnnxScorer.class)) {
 *     ...
 *     assertThat(log.messages(Level.WARN)).singleElement().asString().contains("fell back to CPU");
 * }
 * }</pre>
 */
public final class TestingLogAppender extends AbstractAppender implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();

    private TestingLogAppender(Logger logger) {
        super("testing-" + logger.getName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = logger;
        this.previousLevel = logger.getLevel();
    }

    /** Captures what {@code source} logs at the levels the test configuration lets through. */
    public static TestingLogAppender attach(Class<?> source) {
        return attach((Logger) LogManager.getLogger(source), null);
    }

    /** Captures what logger {@code name} logs at {@code level} and above, until closed (e.g. Flink's INFO lines). */
    public static TestingLogAppender attach(String name, Level level) {
        return attach((Logger) LogManager.getLogger(name), level);
    }

    private static TestingLogAppender attach(Logger logger, Level level) {
        TestingLogAppender appender = new TestingLogAppender(logger);
        appender.start();
        logger.addAppender(appender);
        if (level != null) {
            logger.setLevel(level);
        }
        return appender;
    }

    @Override
    public void append(LogEvent event) {
        events.add(event.toImmutable());
    }

    /** Formatted messages logged at exactly {@code level}, in order. */
    public List<String> messages(Level level) {
        return events.stream()
                .filter(e -> e.getLevel() == level)
                .map(e -> e.getMessage().getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        logger.setLevel(previousLevel);
        stop();
    }
}
