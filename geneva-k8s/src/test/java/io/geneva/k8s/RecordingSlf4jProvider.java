package io.geneva.k8s;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of this module's tests (chosen with the system property {@code slf4j.provider}
 * in the POM): it drops everything, except that between {@link #start()} and {@link #stop()} it
 * records every line Geneva's loggers ({@code io.geneva.*}) write, at every level including TRACE,
 * with each exception's stack trace, so a test can assert what the logs never contain.
 */
public final class RecordingSlf4jProvider implements SLF4JServiceProvider {
  private static final List<String> LINES = new ArrayList<>();
  private static volatile boolean recording;

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Starts recording, from nothing. */
  static void start() {
    synchronized (LINES) {
      LINES.clear();
    }
    recording = true;
  }

  /** Stops recording and returns what was recorded. */
  static List<String> stop() {
    recording = false;
    synchronized (LINES) {
      return List.copyOf(LINES);
    }
  }

  /** Whether this binding is the one in use (the POM sets it), so a test of the logs can fail. */
  static boolean active() {
    return org.slf4j.LoggerFactory.getILoggerFactory() instanceof Factory;
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return new Factory();
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Factory implements ILoggerFactory {
    @Override
    public org.slf4j.Logger getLogger(String name) {
      return new Recorder(name);
    }
  }

  private static final class Recorder extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final boolean geneva;

    Recorder(String name) {
      this.name = name;
      this.geneva = name.startsWith("io.geneva");
    }

    private boolean on() {
      return geneva && recording;
    }

    @Override
    public boolean isTraceEnabled() {
      return on();
    }

    @Override
    public boolean isDebugEnabled() {
      return on();
    }

    @Override
    public boolean isInfoEnabled() {
      return on();
    }

    @Override
    public boolean isWarnEnabled() {
      return on();
    }

    @Override
    public boolean isErrorEnabled() {
      return on();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
        Throwable throwable) {
      if (!on()) {
        return;
      }
      StringBuilder line = new StringBuilder(level + " " + name + " "
          + MessageFormatter.basicArrayFormat(pattern, arguments));
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      }
      synchronized (LINES) {
        LINES.add(line.toString());
      }
    }
  }
}
