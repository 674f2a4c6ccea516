"""The four stages, one module each: strip, segment, attribute, tag."""
