/** Step-by-step traces of backpropagation on small networks, told the way the seeds tell it. */
package dev.backprop.explain;
