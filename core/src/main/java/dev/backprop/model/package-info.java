/** A trained model as one thing: encoder, network and loss; fit on a table, save, load, predict a row. */
package dev.backprop.model;
