"""The reader's screens: the record reader, the help screen and the paste-an-ID prompt."""
