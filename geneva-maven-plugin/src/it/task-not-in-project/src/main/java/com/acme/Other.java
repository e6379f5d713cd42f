package com.acme;

/** The project's only class, which is not the task the build asks for. */
public class Other {}
