package org.portcullis.containers;

import org.portcullis.http.Paging;

/** A validated container list query: optional name and type, and the page. */
public record ContainerFilter(String name, String type, Paging paging) {}
