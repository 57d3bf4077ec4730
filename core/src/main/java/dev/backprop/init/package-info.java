/** Weight initialisers, each drawing from an explicit seeded random generator. */
package dev.backprop.init;
