package dev.tiergate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GateThresholdsTest {

  @Test
  void defaultsMatchTheArchitecture() {
    assertEquals(new GateThresholds(0.05, 2.0, 3, 10, 2000.0), GateThresholds.DEFAULT);
  }

  @Test
  void jsonRoundTrip() {
    GateThresholds custom = new GateThresholds(0.1, 1.5, 5, 20, 1500.0);
    assertEquals(custom, GateThresholds.fromJson(custom.toJson()));
    assertEquals(custom, GateThresholds.fromJson(new JsonObject(custom.toJson().encode())));
    assertEquals(GateThresholds.DEFAULT, GateThresholds.fromJson(GateThresholds.DEFAULT.toJson()));
  }

  @Test
  void jsonKeys() {
    JsonObject json = GateThresholds.DEFAULT.toJson();
    assertEquals(new JsonObject()
      .put("maxErrorRate", 0.05).put("maxLatencyRatio", 2.0).put("maxConsecutiveFailures", 3).put("minSamples", 10)
      .put("baselineP95Ms", 2000.0), json);
  }

  @Test
  void databaseColumnWithoutBaselineTakesTheDefault() {
    JsonObject column = new JsonObject(
      "{\"maxErrorRate\": 0.02, \"maxLatencyRatio\": 3, \"maxConsecutiveFailures\": 4, \"minSamples\": 25}");
    assertEquals(new GateThresholds(0.02, 3.0, 4, 25, 2000.0), GateThresholds.fromJson(column));
  }

  @Test
  void missingKeysTakeDefaults() {
    assertEquals(GateThresholds.DEFAULT, GateThresholds.fromJson(new JsonObject()));
    assertEquals(GateThresholds.DEFAULT, GateThresholds.fromJson(null));
    assertEquals(new GateThresholds(0.05, 2.0, 3, 50, 2000.0),
      GateThresholds.fromJson(new JsonObject().put("minSamples", 50)));
  }

  @Test
  void wholeNumbersWrittenAsDecimalsAreAccepted() {
    assertEquals(7, GateThresholds.fromJson(new JsonObject("{\"minSamples\": 7.0}")).minSamples());
  }

  @Test
  void rejectsInvalidValues() {
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(-0.01, 2, 3, 10, 2000));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(1.01, 2, 3, 10, 2000));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(Double.NaN, 2, 3, 10, 2000));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(0.05, 0, 3, 10, 2000));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(0.05, Double.NaN, 3, 10, 2000));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(0.05, 2, 0, 10, 2000));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(0.05, 2, 3, 0, 2000));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(0.05, 2, 3, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new GateThresholds(0.05, 2, 3, 10, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class,
      () -> GateThresholds.fromJson(new JsonObject().put("minSamples", 2.5)));
    assertThrows(IllegalArgumentException.class,
      () -> GateThresholds.fromJson(new JsonObject().put("maxErrorRate", 5)));
    assertThrows(ClassCastException.class,
      () -> GateThresholds.fromJson(new JsonObject().put("minSamples", "ten")));
  }
}
