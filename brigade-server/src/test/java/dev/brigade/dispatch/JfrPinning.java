package dev.brigade.dispatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Records {@code jdk.VirtualThreadPinned} events (threshold 0, with stack traces) while an action
 * runs, and returns each event's stack as text, one frame a line. Uses JFR by reflection: the tests
 * are compiled into the module, which does not read {@code jdk.jfr}; at run time (class path) it is
 * there like every JDK module.
 */
final class JfrPinning {

    interface Action {
        void run() throws Exception;
    }

    private JfrPinning() {
    }

    static List<String> pinnedStacksDuring(Action action) throws Exception {
        Class<?> recordingClass = Class.forName("jdk.jfr.Recording");
        Class<?> settingsClass = Class.forName("jdk.jfr.EventSettings");
        Object recording = recordingClass.getConstructor().newInstance();
        Path file = Files.createTempFile("brigade-pinned", ".jfr");
        try {
            Object settings = recordingClass.getMethod("enable", String.class).invoke(recording, "jdk.VirtualThreadPinned");
            settingsClass.getMethod("withThreshold", Duration.class).invoke(settings, Duration.ZERO);
            settingsClass.getMethod("withStackTrace").invoke(settings);
            recordingClass.getMethod("start").invoke(recording);
            try {
                action.run();
            } finally {
                recordingClass.getMethod("stop").invoke(recording);
            }
            recordingClass.getMethod("dump", Path.class).invoke(recording, file);
            return stacks(file);
        } finally {
            recordingClass.getMethod("close").invoke(recording);
            Files.deleteIfExists(file);
        }
    }

    private static List<String> stacks(Path file) throws Exception {
        Class<?> recordingFile = Class.forName("jdk.jfr.consumer.RecordingFile");
        Class<?> event = Class.forName("jdk.jfr.consumer.RecordedEvent");
        Class<?> eventType = Class.forName("jdk.jfr.EventType");
        Class<?> stackTrace = Class.forName("jdk.jfr.consumer.RecordedStackTrace");
        Class<?> frame = Class.forName("jdk.jfr.consumer.RecordedFrame");
        Class<?> method = Class.forName("jdk.jfr.consumer.RecordedMethod");
        Class<?> type = Class.forName("jdk.jfr.consumer.RecordedClass");
        List<?> events = (List<?>) recordingFile.getMethod("readAllEvents", Path.class).invoke(null, file);
        List<String> out = new ArrayList<>();
        for (Object e : events) {
            Object t = event.getMethod("getEventType").invoke(e);
            if (!"jdk.VirtualThreadPinned".equals(eventType.getMethod("getName").invoke(t))) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            Object st = event.getMethod("getStackTrace").invoke(e);
            if (st != null) {
                for (Object f : (List<?>) stackTrace.getMethod("getFrames").invoke(st)) {
                    Object m = frame.getMethod("getMethod").invoke(f);
                    Object c = method.getMethod("getType").invoke(m);
                    sb.append(type.getMethod("getName").invoke(c)).append('.')
                            .append(method.getMethod("getName").invoke(m)).append('\n');
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
