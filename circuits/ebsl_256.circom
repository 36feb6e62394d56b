pragma circom 2.1.0;

include "ebsl.circom";

component main {public [now, subject, threshold, reveal, root]} = Ebsl(256);
