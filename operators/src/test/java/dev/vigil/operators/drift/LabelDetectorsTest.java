package dev.vigil.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelDetectorsTest {

    /** 1000 values uniform in {0,1}, then 1000 uniform in {4,5,6,7} (River's doctest stream, Java-seeded). */
    static double[] numericStream() {
        Random rng = new Random(12345);
        double[] xs = new double[2000];
        for (int i = 0; i < 1000; i++) {
            xs[i] = rng.nextInt(2);
        }
        for (int i = 1000; i < 2000; i++) {
            xs[i] = 4 + rng.nextInt(4);
        }
        return xs;
    }

    /** Error indicators: rate 0.1 for 1000 values, then 0.5 for 1000. */
    static double[] errorStream() {
        Random rng = new Random(42);
        double[] xs = new double[2000];
        for (int i = 0; i < 2000; i++) {
            xs[i] = rng.nextDouble() < (i < 1000 ? 0.1 : 0.5) ? 1 : 0;
        }
        return xs;
    }

    static double[] stationaryNumeric() {
        Random rng = new Random(7);
        double[] xs = new double[5000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = rng.nextInt(2);
        }
        return xs;
    }

    static double[] stationaryErrors() {
        return stationaryErrors(0.1);
    }

    /** 5000 error indicators at a constant rate, seed 7. */
    static double[] stationaryErrors(double rate) {
        Random rng = new Random(7);
        double[] xs = new double[5000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = rng.nextDouble() < rate ? 1 : 0;
        }
        return xs;
    }

    /** Detections as "index:drift" / "index:warning" strings, in stream order. */
    static List<String> detections(DriftDetector d, double[] xs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            d.update(xs[i]);
            if (d.driftDetected()) {
                out.add(i + ":drift");
            } else if (d.warningDetected()) {
                out.add(i + ":warning");
            }
        }
        return out;
    }

    /** Runs of consecutive indices with the same signal collapsed: {@code "1030-1033:warning", "1034:drift"}. */
    static List<String> compact(List<String> ds) {
        List<String> out = new ArrayList<>();
        int runStart = -1;
        int prev = -2;
        String kind = "";
        for (String s : ds) {
            int i = Integer.parseInt(s.substring(0, s.indexOf(':')));
            String k = s.substring(s.indexOf(':') + 1);
            if (i == prev + 1 && k.equals(kind)) {
                prev = i;
                continue;
            }
            if (runStart >= 0) {
                out.add((runStart == prev ? "" + prev : runStart + "-" + prev) + ":" + kind);
            }
            runStart = i;
            prev = i;
            kind = k;
        }
        if (runStart >= 0) {
            out.add((runStart == prev ? "" + prev : runStart + "-" + prev) + ":" + kind);
        }
        return out;
    }

    static double[] scaled(double[] xs, double by) {
        double[] out = xs.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= by;
        }
        return out;
    }

    /** A golden case: detector factory, seeded stream and the exact compacted detections it must produce. */
    record Case(String label, Supplier<DriftDetector> detector, Supplier<double[]> stream, List<String> expected) {
        @Override
        public String toString() {
            return label;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("adwin/numeric", Adwin::new, LabelDetectorsTest::numericStream,
                        List.of(
                                "1023:drift")),
                new Case("adwin/errors", Adwin::new, LabelDetectorsTest::errorStream,
                        List.of(
                                "1055:drift")),
                new Case("page-hinkley/numeric", PageHinkley::new, LabelDetectorsTest::numericStream,
                        List.of(
                                "1008:drift")),
                new Case("page-hinkley/errors", PageHinkley::new, LabelDetectorsTest::errorStream,
                        List.of(
                                "1099:drift")),
                new Case("page-hinkley-up/numeric",
                        () -> new PageHinkley(30, 0.005, 50, 0.9999, PageHinkley.Mode.UP),
                        LabelDetectorsTest::numericStream,
                        List.of(
                                "1008:drift")),
                new Case("page-hinkley-down/numeric",
                        () -> new PageHinkley(30, 0.005, 50, 0.9999, PageHinkley.Mode.DOWN),
                        LabelDetectorsTest::numericStream,
                        List.of()),
                new Case("ddm/errors", Ddm::new, LabelDetectorsTest::errorStream,
                        List.of(
                                "71:warning", "72:drift", "294-354:warning", "362-367:warning",
                                "374-520:warning", "530-532:warning", "544-545:warning", "964-992:warning",
                                "1001-1033:warning", "1034:drift", "1102:warning", "1104-1105:warning")),
                new Case("ddm/stationary-errors", Ddm::new, LabelDetectorsTest::stationaryErrors,
                        List.of(
                                "37-41:warning", "89-92:warning", "104-111:warning", "129-130:warning",
                                "134-195:warning", "196:drift", "251-259:warning", "262-264:warning",
                                "265:drift", "314-319:warning", "320:drift", "566-569:warning", "578:warning",
                                "582-610:warning", "612-619:warning", "1433-1435:warning", "1480-1602:warning",
                                "1843-1855:warning", "2009-2011:warning", "2013-2021:warning")),
                new Case("eddm/errors", Eddm::new, LabelDetectorsTest::errorStream,
                        List.of(
                                "418:drift", "854:drift", "1036:drift", "1094:drift", "1151-1164:warning",
                                "1165:drift", "1229:drift", "1289-1292:warning", "1294-1307:warning",
                                "1308:drift", "1383-1424:warning", "1557-1568:warning", "1571-1598:warning",
                                "1638-1643:warning", "1648-1684:warning", "1692-1698:warning",
                                "1956-1961:warning")),
                new Case("hddm-a/errors", HddmA::new, LabelDetectorsTest::errorStream,
                        List.of(
                                "1030-1033:warning", "1034:drift")),
                new Case("hddm-a/numeric7", HddmA::new, () -> scaled(numericStream(), 7),
                        List.of(
                                "1006:warning", "1007:drift")),
                new Case("hddm-a-two-sided/errors", () -> new HddmA(0.001, 0.005, true),
                        LabelDetectorsTest::errorStream,
                        List.of(
                                "1030-1033:warning", "1034:drift")),
                new Case("hddm-w/errors", HddmW::new, LabelDetectorsTest::errorStream,
                        List.of(
                                "1018:warning", "1020:warning", "1022-1023:warning", "1026:warning",
                                "1029-1030:warning", "1031:drift", "1791:warning", "1793:warning",
                                "1798:warning", "1801:warning", "1830-1833:warning", "1937-1938:warning",
                                "1946:warning", "1948:warning", "1956:warning")),
                new Case("hddm-w/numeric7", HddmW::new, () -> scaled(numericStream(), 7),
                        List.of(
                                "1011-1014:warning", "1015:drift")),
                new Case("hddm-w-two-sided/errors", () -> new HddmW(0.001, 0.005, 0.05, true),
                        LabelDetectorsTest::errorStream,
                        List.of(
                                "1018:warning", "1020:warning", "1022-1023:warning", "1026:warning",
                                "1029-1030:warning", "1031:drift", "1745-1746:warning", "1754-1755:warning",
                                "1757-1758:warning", "1791:warning", "1793:warning", "1798:warning",
                                "1801:warning", "1830-1833:warning", "1937-1938:warning", "1946:warning",
                                "1948:warning", "1956:warning")));
    }

    static Stream<Case> golden() {
        return cases().stream();
    }

    /** Exact detections per detector on its seeded stream; recorded from this implementation, so a change is caught. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void goldenIndices(Case c) {
        assertThat(compact(detections(c.detector().get(), c.stream().get()))).isEqualTo(c.expected());
    }

    @Test
    void riverDoctestStreamAdwinAndPageHinkley() {
        double[] xs = numericStream();
        List<Integer> adwin = driftIndices(new Adwin(), xs);
        List<Integer> ph = driftIndices(new PageHinkley(30, 0.005, 50, 0.9999, PageHinkley.Mode.BOTH), xs);
        assertThat(adwin).isNotEmpty().allMatch(i -> i >= 1000);
        assertThat(adwin.get(0)).isBetween(1000, 1040); // River: 1023
        assertThat(ph).isNotEmpty().allMatch(i -> i >= 1000);
        assertThat(ph.get(0)).isBetween(1000, 1020); // River: 1006
    }

    static List<Integer> driftIndices(DriftDetector d, double[] xs) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (d.update(xs[i])) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void noDriftOnStationaryStreams() {
        assertThat(driftIndices(new Adwin(), stationaryNumeric())).isEmpty();
        assertThat(driftIndices(new PageHinkley(), stationaryNumeric())).isEmpty();
        assertThat(driftIndices(new Adwin(), stationaryErrors())).isEmpty();
        assertThat(driftIndices(new PageHinkley(), stationaryErrors())).isEmpty();
        // DDM as published false-alarms early on a low error rate when p_min + s_min is caught low right after the
        // warm-up: on the 10% stream it fires at 196, 265, 320 (pinned in the golden case "ddm/stationary-errors").
        assertThat(driftIndices(new Ddm(), stationaryErrors(0.2))).isEmpty();
        assertThat(driftIndices(new HddmA(), stationaryErrors())).isEmpty();
        assertThat(driftIndices(new HddmW(), stationaryErrors())).isEmpty();
        assertThat(driftIndices(new HddmA(0.001, 0.005, true), stationaryErrors())).isEmpty();
    }

    /** Checkpoint at many points (including right at a drift), restore into a fresh detector, continue identically. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void snapshotRestoreContinuesIdentically(Case c) {
        double[] xs = c.stream().get();
        DriftDetector ref = c.detector().get();
        List<String> full = detections(ref, xs);
        DriftDetector running = c.detector().get();
        for (int i = 0; i < xs.length; i++) {
            running.update(xs[i]);
            if (i % 97 == 0 || running.driftDetected()) {
                DetectorState snap = running.snapshot();
                DriftDetector copy = c.detector().get();
                copy.restore(snap);
                assertThat(copy.snapshot()).isEqualTo(snap);
                assertThat(copy.driftDetected()).isEqualTo(running.driftDetected());
                assertThat(copy.warningDetected()).isEqualTo(running.warningDetected());
                double[] rest = java.util.Arrays.copyOfRange(xs, i + 1, xs.length);
                List<String> tail = new ArrayList<>();
                for (String s : detections(copy, rest)) {
                    int k = Integer.parseInt(s.substring(0, s.indexOf(':')));
                    tail.add((k + i + 1) + s.substring(s.indexOf(':')));
                }
                int from = i;
                assertThat(tail)
                        .as("continuing after a restore at %d", i)
                        .isEqualTo(full.stream()
                                .filter(s -> Integer.parseInt(s.substring(0, s.indexOf(':'))) > from)
                                .toList());
            }
        }
    }

    @Test
    void restoreRejectsForeignState() {
        DetectorState ph = new PageHinkley().snapshot();
        for (DriftDetector d : List.of(new Adwin(), new Ddm(), new Eddm(), new HddmA(), new HddmW())) {
            assertThatThrownBy(() -> d.restore(ph)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new PageHinkley().restore(new Adwin().snapshot()))
                .isInstanceOf(IllegalArgumentException.class);
        Adwin a = new Adwin();
        for (int i = 0; i < 100; i++) {
            a.update(i % 2);
        }
        DetectorState withM5 = a.snapshot();
        assertThatThrownBy(() -> new Adwin(0.002, 32, 7, 5, 10).restore(withM5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAndDefaults() {
        assertThat(new Adwin().name()).isEqualTo("adwin");
        assertThat(new Ddm().name()).isEqualTo("ddm");
        assertThat(new Eddm().name()).isEqualTo("eddm");
        assertThat(new PageHinkley().name()).isEqualTo("page-hinkley");
        assertThat(new HddmA().name()).isEqualTo("hddm-a");
        assertThat(new HddmW().name()).isEqualTo("hddm-w");
        Adwin a = new Adwin();
        assertThat(new double[] {a.delta(), a.clock(), a.m(), a.minWindowLength(), a.gracePeriod()})
                .containsExactly(0.002, 32, 5, 5, 10);
        PageHinkley ph = new PageHinkley();
        assertThat(new double[] {ph.minInstances(), ph.delta(), ph.lambda(), ph.alpha()})
                .containsExactly(30, 0.005, 50, 0.9999);
        assertThat(ph.mode()).isEqualTo(PageHinkley.Mode.BOTH);
        assertThat(new double[] {new Ddm().n(), new Ddm().w(), new Ddm().d()}).containsExactly(30, 2, 3);
        assertThat(new double[] {new Eddm().n(), new Eddm().alpha(), new Eddm().beta()})
                .containsExactly(30, 0.95, 0.9);
        assertThat(new double[] {new HddmA().alphaD(), new HddmA().alphaW()}).containsExactly(0.001, 0.005);
        assertThat(new HddmA().twoSided()).isFalse();
        assertThat(new double[] {new HddmW().alphaD(), new HddmW().alphaW(), new HddmW().lambda()})
                .containsExactly(0.001, 0.005, 0.05);
    }

    @Test
    void invalidParametersRejected() {
        List<Runnable> bad = List.of(
                () -> new Adwin(0),
                () -> new Adwin(1),
                () -> new Adwin(0.002, 0, 5, 5, 10),
                () -> new Adwin(0.002, 32, 1, 5, 10),
                () -> new Adwin(0.002, 32, 5, 0, 10),
                () -> new Adwin(0.002, 32, 5, 5, -1),
                () -> new Ddm(0, 2, 3),
                () -> new Ddm(30, 0, 3),
                () -> new Ddm(30, 3, 2),
                () -> new Eddm(0, 0.95, 0.9),
                () -> new Eddm(30, 1.0, 0.9),
                () -> new Eddm(30, 0.9, 0.95),
                () -> new Eddm(30, 0.95, 0),
                () -> new PageHinkley(0, 0.005, 50, 0.9999, PageHinkley.Mode.BOTH),
                () -> new PageHinkley(30, -1, 50, 0.9999, PageHinkley.Mode.BOTH),
                () -> new PageHinkley(30, 0.005, 0, 0.9999, PageHinkley.Mode.BOTH),
                () -> new PageHinkley(30, 0.005, 50, 0, PageHinkley.Mode.BOTH),
                () -> new PageHinkley(30, 0.005, 50, 1.5, PageHinkley.Mode.BOTH),
                () -> new PageHinkley(30, 0.005, 50, 0.9999, null),
                () -> PageHinkley.Mode.parse("sideways"),
                () -> new HddmA(0, 0.005, false),
                () -> new HddmA(0.001, 1, false),
                () -> new HddmA(0.01, 0.005, false),
                () -> new HddmW(0.001, 0.005, 0, false),
                () -> new HddmW(0.001, 0.005, 1.5, false),
                () -> new HddmW(1, 0.005, 0.05, false),
                () -> new HddmW(0.01, 0.005, 0.05, false));
        for (int i = 0; i < bad.size(); i++) {
            assertThatThrownBy(bad.get(i)::run).as("case %d", i).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PageHinkley.Mode.parse(" Up ")).isEqualTo(PageHinkley.Mode.UP);
    }
}
