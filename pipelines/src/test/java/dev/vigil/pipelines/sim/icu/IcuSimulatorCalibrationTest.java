package dev.vigil.pipelines.sim.icu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The simulator is a fair test bed only if the clinical baseline behaves on it as in real hospitals
 * ({@code reference/clinical.md}): NEWS2 AUROC for an adverse outcome (ICU transfer, rapid response, cardiac arrest,
 * death) within 24 h of 0.80-0.88 (HAVEN: 0.842), and NEWS2 &ge; 5 alerting at tens per 100 patient-days (Pankhurst et
 * al. 2022: 37.6, with sensitivity 0.46). How NEWS2 is evaluated is described in {@link News2Calibration}; an alert
 * here is a transition into NEWS2 &ge; 5 between hourly time points. The physiology is tuned for these figures over
 * many seeds; this test pins one.
 */
class IcuSimulatorCalibrationTest {

    @Test
    void news2PerformsAsInRealHospitals() {
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder().seed(2026).patients(500).build());

        News2Calibration.Result result = News2Calibration.evaluate(simulator);

        System.out.println("IcuSimulator calibration (500 patients x 48 h, seed 2026): " + result);
        assertThat(result.auroc()).as("NEWS2 AUROC, outcome within 24 h").isBetween(0.78, 0.90);
        assertThat(result.alertTransitionsPer100PatientDays())
                .as("NEWS2 >= 5 alerts per 100 patient-days")
                .isBetween(10.0, 100.0);
        assertThat(result.sensitivityAt5()).as("sensitivity of NEWS2 >= 5 per patient-hour").isBetween(0.3, 0.75);
        assertThat(result.positiveHours()).as("positive patient-hours").isGreaterThan(300);
    }
}
