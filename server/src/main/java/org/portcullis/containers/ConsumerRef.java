package org.portcullis.containers;

/** A consumer as clients name it, to register or to remove: {@code {"name": …, "URL": …}}. */
public record ConsumerRef(String name, String url) {}
