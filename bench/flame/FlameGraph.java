import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording's CPU samples, or an async-profiler profile in collapsed form (bench/run.sh
 * --profile writes those), as a flame graph (SVG, hover a frame for its share) plus the hottest
 * methods as text, with nothing but the JDK: {@code java bench/flame/FlameGraph.java
 * REC.jfr|PROFILE.collapsed OUT.svg [TITLE] [EVENT]}. For a recording EVENT defaults to {@code
 * jdk.CPUTimeSample} (CPU time, JDK 25 on Linux), falling back to {@code jdk.ExecutionSample} when
 * the recording holds none. A collapsed profile's stacks begin with their thread's name, digits
 * folded ({@code [ForkJoinPool-N-worker-N]} is every carrier), so the graph's first row tells
 * request threads, the JIT compiler, the audit writer and the selector apart. Frames
 * narrower than {@link #MIN_SHARE} are left out, which keeps a graph of a busy server well under
 * a megabyte. Lines of {@code OUT.txt}: the top self-time methods and the top inclusive
 * org.portcullis methods, each with its share of all samples.
 */
public final class FlameGraph {
    private static final double MIN_SHARE = 0.001;
    private static final int WIDTH = 1400;
    private static final int ROW = 16;

    /** One frame in the call tree, with its inclusive sample count. */
    private static final class Node {
        final String name;
        final Map<String, Node> children = new LinkedHashMap<>();
        long samples;

        Node(String name) {
            this.name = name;
        }

        Node child(String n) {
            return children.computeIfAbsent(n, Node::new);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java FlameGraph.java REC.jfr OUT.svg [TITLE] [EVENT]");
            System.exit(2);
        }
        Path jfr = Path.of(args[0]);
        Path svg = Path.of(args[1]);
        String title = args.length > 2 ? args[2] : jfr.getFileName().toString();
        String event = args.length > 3 ? args[3] : "jdk.CPUTimeSample";
        Node root = new Node("all");
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        if (!jfr.toString().endsWith(".jfr")) {
            event = "async-profiler cpu";
            readCollapsed(jfr, root, self, inclusive);
        } else if (read(jfr, event, root, self, inclusive) == 0 && args.length <= 3) {
            event = "jdk.ExecutionSample";
            read(jfr, event, root, self, inclusive);
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(svg, StandardCharsets.UTF_8))) {
            render(out, root, title + " (" + event + ", " + root.samples + " samples)");
        }
        String txt = svg.toString().replaceFirst("\\.svg$", "") + ".txt";
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(txt), StandardCharsets.UTF_8))) {
            out.printf("%s: %d samples of %s%n%ntop self time%n", title, root.samples, event);
            top(out, self, root.samples, 40, "");
            out.printf("%ntop inclusive org.portcullis methods%n");
            top(out, inclusive, root.samples, 60, "org.portcullis.");
        }
    }

    /** Adds every sample of {@code event} to the tree and the tallies; returns how many. */
    private static long read(Path jfr, String event, Node root, Map<String, Long> self, Map<String, Long> inclusive)
            throws IOException {
        long n = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                RecordedStackTrace st = e.getEventType().getName().equals(event) ? e.getStackTrace() : null;
                if (st == null) {
                    continue;
                }
                List<RecordedFrame> frames = st.getFrames();
                Node node = root;
                root.samples++;
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = frames.size() - 1; i >= 0; i--) { // outermost first
                    String name = name(frames.get(i));
                    node = node.child(name);
                    node.samples++;
                    if (seen.add(name)) {
                        inclusive.merge(name, 1L, Long::sum);
                    }
                }
                if (!frames.isEmpty()) {
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                }
                n++;
            }
        }
        return n;
    }

    /**
     * Adds the stacks of a collapsed profile ({@code frame;frame;... COUNT} per line, outermost
     * first) to the tree and the tallies. Java frames are written with slashes there
     * ({@code org/portcullis/http/HttpApp.handle}); they get the dots of a recording's names.
     */
    private static void readCollapsed(Path file, Node root, Map<String, Long> self, Map<String, Long> inclusive)
            throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            long n = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            Node node = root;
            root.samples += n;
            java.util.Set<String> seen = new java.util.HashSet<>();
            String name = null;
            for (int i = 0; i < frames.length; i++) {
                name = i == 0 && frames[i].startsWith("[") ? thread(frames[i]) : javaName(frames[i]);
                node = node.child(name);
                node.samples += n;
                if (seen.add(name)) {
                    inclusive.merge(name, n, Long::sum);
                }
            }
            if (name != null) {
                self.merge(name, n, Long::sum);
            }
        }
    }

    private static String thread(String frame) {
        return frame.replaceFirst(" tid=\\d+]$", "]").replaceAll("\\d+", "N");
    }

    private static String javaName(String frame) {
        boolean java = !frame.isEmpty() && Character.isJavaIdentifierStart(frame.charAt(0))
                && frame.indexOf(' ') < 0 && !frame.endsWith("_[k]");
        return java ? frame.replace('/', '.') : frame;
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void top(PrintWriter out, Map<String, Long> counts, long total, int n, String prefix) {
        counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.printf("%6.2f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }

    private static void render(PrintWriter out, Node root, String title) {
        int depth = depth(root, root.samples);
        int height = (depth + 2) * ROW + 30;
        out.printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"monospace\" font-size=\"11\">%n", WIDTH, height);
        out.printf("<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>%n");
        out.printf("<text x=\"8\" y=\"18\" font-size=\"14\">%s</text>%n", esc(title));
        List<String> rects = new ArrayList<>();
        draw(rects, root, 0, 0, WIDTH, root.samples, height - 8 - ROW);
        rects.forEach(out::println);
        out.println("</svg>");
    }

    private static int depth(Node node, long total) {
        int d = 0;
        for (Node c : node.children.values()) {
            if ((double) c.samples / total >= MIN_SHARE) {
                d = Math.max(d, depth(c, total));
            }
        }
        return d + 1;
    }

    /** Outermost frame at the bottom, as flame graphs are drawn. */
    private static void draw(List<String> rects, Node node, int level, double x, double w, long total, int bottom) {
        int y = bottom - level * ROW;
        double pct = 100.0 * node.samples / Math.max(1, total);
        rects.add(String.format("<g><title>%s (%d samples, %.2f%%)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                + "height=\"%d\" fill=\"%s\" rx=\"2\"/>%s</g>", esc(node.name), node.samples, pct, x, y, w, ROW - 1,
                colour(node.name), label(node.name, x, y, w)));
        double cx = x;
        List<Node> kids = new ArrayList<>(node.children.values());
        kids.sort(Comparator.comparing(k -> k.name));
        for (Node c : kids) {
            double cw = w * c.samples / Math.max(1, node.samples);
            if ((double) c.samples / total >= MIN_SHARE) {
                draw(rects, c, level + 1, cx, cw, total, bottom);
            }
            cx += cw;
        }
    }

    private static String label(String name, double x, int y, double w) {
        int chars = (int) ((w - 4) / 6.6);
        if (chars < 3) {
            return "";
        }
        String shown = name.length() <= chars ? name : name.substring(0, chars - 2) + "..";
        return String.format("<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y + ROW - 4, esc(shown));
    }

    /** Colour by origin: Portcullis, Jetty, the database stack, crypto, logging, metrics, the JDK. */
    private static String colour(String name) {
        if (name.startsWith("org.portcullis.")) {
            return "#f0a05a";
        }
        if (name.startsWith("org.eclipse.jetty.")) {
            return "#8fd18f";
        }
        if (name.startsWith("org.sqlite.") || name.startsWith("org.jdbi.") || name.startsWith("com.zaxxer.")
                || name.startsWith("org.postgresql.")) {
            return "#87b5e8";
        }
        if (name.startsWith("com.sun.crypto.") || name.startsWith("javax.crypto.") || name.startsWith("sun.security.")) {
            return "#d59be8";
        }
        if (name.startsWith("ch.qos.logback.") || name.startsWith("org.slf4j.")) {
            return "#e8e07a";
        }
        if (name.startsWith("io.micrometer.") || name.startsWith("io.prometheus.")) {
            return "#e88787";
        }
        if (name.startsWith("com.fasterxml.")) {
            return "#7ad6d0";
        }
        return "#d8c8a8";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
