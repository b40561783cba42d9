package org.portcullis.logging;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code log_format = text}: the line of {@link LogSetup#TEXT_PATTERN}, written by hand. logback's
 * pattern layout ran a chain of converters per line (a date formatter, a space padder, a string
 * builder grown twice), a third of the log writer's CPU, and every request logs one access line.
 * A line with an exception, rare and long, goes to the pattern layout itself, which adds the
 * stack trace as it always has.
 */
final class TextLineEncoder extends EncoderBase<ILoggingEvent> {
    /** {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC}} up to its millisecond, for one second at a time. */
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.")
            .withZone(ZoneOffset.UTC);
    /** {@code %logger{20}}, as logback's logger converter abbreviates it. */
    private static final int LOGGER_LENGTH = 20;

    private final Encoder<ILoggingEvent> layout;
    private final Abbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
    private final Map<String, String> loggers = new ConcurrentHashMap<>();
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    /** @param layout the pattern layout's encoder, for lines with an exception */
    TextLineEncoder(Encoder<ILoggingEvent> layout) {
        this.layout = layout;
    }

    private record Second(long epochSecond, String text) {}

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        if (event.getThrowableProxy() != null) {
            return layout.encode(event);
        }
        long millis = event.getTimeStamp();
        long epochSecond = Math.floorDiv(millis, 1000);
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            s = new Second(epochSecond, SECOND.format(Instant.ofEpochSecond(epochSecond)));
            second = s;
        }
        String message = event.getFormattedMessage();
        String logger = loggers.computeIfAbsent(event.getLoggerName(), abbreviator::abbreviate);
        StringBuilder b = new StringBuilder(64 + event.getThreadName().length() + (message == null ? 4 : message.length()));
        int ms = (int) Math.floorMod(millis, 1000);
        b.append(s.text()).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                .append((char) ('0' + ms % 10)).append("Z ");
        String level = event.getLevel().toString();
        b.append(level);
        for (int pad = level.length(); pad < 5; pad++) { // %-5level
            b.append(' ');
        }
        b.append(" [").append(event.getThreadName()).append("] ").append(logger).append(" - ").append(message)
                .append(CoreConstants.LINE_SEPARATOR);
        return b.toString().getBytes(); // the default charset, as the pattern layout's encoder without one
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
