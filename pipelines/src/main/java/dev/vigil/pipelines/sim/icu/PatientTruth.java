package dev.vigil.pipelines.sim.icu;

import dev.vigil.schema.icu.OutcomeType;
import dev.vigil.schema.icu.Sex;
import java.time.Duration;
import java.time.Instant;

/**
 * What the simulator knows about one patient and a real hospital would learn only later: whether, how and when the
 * patient deteriorates and how the encounter ends. Evaluation labels any (patient, time) with it, for example with
 * {@link #adverseOutcomeWithin(Instant, Duration)}.
 *
 * <p>Every encounter has exactly one outcome: an adverse one ({@link OutcomeType#ICU_TRANSFER}, {@link
 * OutcomeType#RAPID_RESPONSE}, {@link OutcomeType#CARDIAC_ARREST}, {@link OutcomeType#DEATH}) at the end of a
 * deterioration, or {@link OutcomeType#DISCHARGE} at the end of the stay or of the simulation. Observations stop at
 * an ICU transfer, cardiac arrest or death; after a rapid response the patient stays, is observed more often and
 * recovers, until the end of the simulation.
 *
 * @param patientId synthetic patient id, e.g. {@code P000123}
 * @param encounterId encounter id, distinct from every patient id
 * @param ageYears age at admission
 * @param sexAtBirth sex at birth
 * @param ward ward at admission: {@code ICU}, {@code HDU}, {@code MED} or {@code SURG}
 * @param spo2Scale2 whether the patient has (or is later given) a prescribed SpO2 target of 88-92%
 * @param onOxygenAtAdmission whether the patient receives supplemental oxygen from the start
 * @param comorbidities number of significant chronic conditions (0 to 4)
 * @param confounder benign abnormal physiology, or {@link Confounder#NONE}
 * @param deterioration the deterioration course, or {@link DeteriorationType#NONE}
 * @param admittedAt admission time (before the simulation start for patients already on the ward)
 * @param observedFrom time of the first possible observation: admission or the simulation start
 * @param observedUntil time after which no further observation is taken
 * @param onset start of the deterioration; {@code null} when {@code deterioration} is {@link DeteriorationType#NONE}
 * @param outcome the encounter's outcome
 * @param outcomeAt when the outcome occurred
 * @param outcomeRecordedAt when the outcome was documented (label delay); {@code null} when it never is (only under
 *     an {@link IcuScenario.LabelBias}), in which case no outcome record is emitted
 */
public record PatientTruth(
        String patientId,
        String encounterId,
        int ageYears,
        Sex sexAtBirth,
        String ward,
        boolean spo2Scale2,
        boolean onOxygenAtAdmission,
        int comorbidities,
        Confounder confounder,
        DeteriorationType deterioration,
        Instant admittedAt,
        Instant observedFrom,
        Instant observedUntil,
        Instant onset,
        OutcomeType outcome,
        Instant outcomeAt,
        Instant outcomeRecordedAt) {

    /** Whether the patient deteriorates to an adverse outcome during the simulation. */
    public boolean deteriorates() {
        return deterioration != DeteriorationType.NONE;
    }

    /** Whether the outcome is documented, i.e. emitted as a {@code ClinicalOutcome} record. */
    public boolean outcomeRecorded() {
        return outcomeRecordedAt != null;
    }

    /** Whether the outcome is adverse (anything but a discharge). */
    public boolean adverse() {
        return outcome != OutcomeType.DISCHARGE;
    }

    /** Whether observations can be taken at {@code time}: {@code observedFrom <= time < observedUntil}. */
    public boolean observedAt(Instant time) {
        return !time.isBefore(observedFrom) && time.isBefore(observedUntil);
    }

    /** Whether the patient is deteriorating at {@code time}: {@code onset <= time < outcomeAt}. */
    public boolean deterioratingAt(Instant time) {
        return onset != null && !time.isBefore(onset) && time.isBefore(outcomeAt);
    }

    /**
     * The usual prediction label: an adverse outcome occurs in {@code (time, time + horizon]}. False at and after the
     * outcome itself.
     */
    public boolean adverseOutcomeWithin(Instant time, Duration horizon) {
        return adverse() && outcomeAt.isAfter(time) && !outcomeAt.isAfter(time.plus(horizon));
    }
}
