package io.pipeline.doctor;

/** One failure: its kind, what happened (one line) and how to fix it (one line). */
public record Diagnosis(Problem problem, String cause, String fix) {}
