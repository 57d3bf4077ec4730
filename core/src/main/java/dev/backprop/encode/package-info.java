/** How raw rows and images become a network's features and targets: one small encoder per column kind, fitted on training rows, saved in model files. */
package dev.backprop.encode;
