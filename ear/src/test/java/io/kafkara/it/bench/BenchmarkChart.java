package io.kafkara.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The picture of a run, src/docs/benchmarks.svg: one horizontal bar per measured ratio (the median of the rounds),
 * a line at 1.0 (the baseline) and, where the adapter has a target, a tick at it; green where the target holds, red
 * where it does not, grey without a target. Ratios of rates: higher is better; the latency and heap rows: lower is.
 */
final class BenchmarkChart {

    private record Bar(String label, double value, Double target, boolean higherIsBetter) {
        String colour() {
            if (target == null) {
                return "#9e9e9e";
            }
            boolean met = higherIsBetter ? value >= target : value <= target;
            return met ? "#2e7d32" : "#c62828";
        }
    }

    private static final int LABEL_WIDTH = 430;
    private static final int BAR_AREA = 420;
    private static final int ROW = 26;
    private static final int TOP = 40;

    private final List<Bar> bars = new ArrayList<>();

    BenchmarkChart(BenchmarkReport report) {
        for (Map.Entry<Mode, Double> ratio : report.medianRatios().entrySet()) {
            bars.add(new Bar(ratio.getKey().label(), ratio.getValue(), ratio.getKey().target(), true));
        }
        if (report.medianRatios().containsKey(Mode.ADAPTER_XA_TWO_PHASE)
                && report.medianRatios().containsKey(Mode.TWO_PHASE_FLOOR)) {
            bars.add(new Bar("two-phase (f) / its floor (g)", BenchmarkReport.median(
                    report.ratios(Mode.ADAPTER_XA_TWO_PHASE, Mode.TWO_PHASE_FLOOR)), null, true));
        }
        if (report.hasLatency()) {
            bars.add(new Bar("p99 latency, adapter / KafkaProducer (lower is better)",
                    BenchmarkReport.median(report.p99Ratios()), BenchmarkReport.P99_BOUND, false));
        }
        if (report.hasCapacity()) {
            bars.add(new Bar("record-buffer heap, 32 engines / buffer.memory (lower is better)", report.heapRatio(),
                    BenchmarkReport.HEAP_BOUND, false));
        }
    }

    String svg() {
        double scale = Math.max(2.0, bars.stream().mapToDouble(Bar::value).max().orElse(1.0) * 1.1);
        int width = LABEL_WIDTH + BAR_AREA + 60;
        int height = TOP + bars.size() * ROW + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n", width, height));
        svg.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Ratio to the baseline (median of "
                + "the rounds; tick: target)</text>\n");
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = TOP + i * ROW;
            int length = (int) Math.round(bar.value() / scale * BAR_AREA);
            svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL_WIDTH - 8,
                    y + 15, escape(bar.label())));
            svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\"/>%n", LABEL_WIDTH,
                    y + 2, length, bar.colour()));
            svg.append(String.format("<text x=\"%d\" y=\"%d\">%.2f</text>%n", LABEL_WIDTH + length + 5, y + 15,
                    bar.value()));
            if (bar.target() != null) {
                int x = LABEL_WIDTH + (int) Math.round(bar.target() / scale * BAR_AREA);
                svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\" "
                        + "stroke-width=\"2\"/>%n", x, y, x, y + 22));
            }
        }
        int one = LABEL_WIDTH + (int) Math.round(1.0 / scale * BAR_AREA);
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" "
                + "stroke-dasharray=\"4 3\"/>%n", one, TOP - 4, one, TOP + bars.size() * ROW));
        svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">1.0</text>%n", one,
                TOP + bars.size() * ROW + 16));
        return svg.append("</svg>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
