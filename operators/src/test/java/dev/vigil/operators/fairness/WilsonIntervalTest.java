package dev.vigil.operators.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Wilson score intervals against published / independently computed values (e.g. R's prop.test without correction). */
class WilsonIntervalTest {

    @Test
    void eightOfTen() {
        WilsonInterval w = WilsonInterval.of(8, 10);
        assertThat(w.estimate()).isEqualTo(0.8);
        assertThat(w.lower()).isCloseTo(0.4902, within(5e-4));
        assertThat(w.upper()).isCloseTo(0.9433, within(5e-4));
    }

    @Test
    void knownValues() {
        WilsonInterval half = WilsonInterval.of(50, 100);
        assertThat(half.lower()).isCloseTo(0.4038, within(5e-4));
        assertThat(half.upper()).isCloseTo(0.5962, within(5e-4));
        WilsonInterval none = WilsonInterval.of(0, 10);
        assertThat(none.lower()).isEqualTo(0.0);
        assertThat(none.upper()).isCloseTo(0.2775, within(5e-4));
        WilsonInterval all = WilsonInterval.of(10, 10);
        assertThat(all.lower()).isCloseTo(0.7225, within(5e-4));
        assertThat(all.upper()).isEqualTo(1.0);
        WilsonInterval thirty = WilsonInterval.of(30, 100);
        assertThat(thirty.lower()).isCloseTo(0.2189, within(5e-4));
        assertThat(thirty.upper()).isCloseTo(0.3958, within(5e-4));
    }

    @Test
    void emptyIsUndefined() {
        WilsonInterval w = WilsonInterval.of(0, 0);
        assertThat(w.defined()).isFalse();
        assertThat(w.estimate()).isNaN();
        assertThat(w.lower()).isNaN();
        assertThat(w.upper()).isNaN();
    }

    @Test
    void overlap() {
        assertThat(WilsonInterval.of(30, 100).overlaps(WilsonInterval.of(20, 100))).isTrue();
        assertThat(WilsonInterval.of(500, 1000).overlaps(WilsonInterval.of(300, 1000))).isFalse();
    }

    @Test
    void rejectsInvalid() {
        assertThatThrownBy(() -> WilsonInterval.of(11, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WilsonInterval.of(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WilsonInterval.of(1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
