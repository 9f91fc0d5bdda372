NAME golden_model FREE
* objective negated: the model maximises
* objective constant 10 not included
ROWS
 N OBJ
 L cap
 G R2
 E balance
 L empty
 L dup
 L n_lim
 G fix_use
COLUMNS
 x OBJ -3
 x cap 1
 x R2 1
 x balance -1
 x dup 2
 x fix_use 0.001
 MARKER 'MARKER' 'INTORG'
 y_int OBJ -2
 y_int cap 1
 y_int balance 1
 y_int n_lim -0.5
 C3 OBJ -5
 C3 cap 2
 MARKER 'MARKER' 'INTEND'
 free balance 1
 neg OBJ -1
 neg R2 -1
 fixed OBJ -1
 fixed fix_use 1
 lower OBJ 0.5
 lower dup 1
 MARKER 'MARKER' 'INTORG'
 n OBJ -1
 n cap 1
 n n_lim 1
 MARKER 'MARKER' 'INTEND'
 lonely OBJ 0
 MARKER 'MARKER' 'INTORG'
 off OBJ -4
 MARKER 'MARKER' 'INTEND'
RHS
 RHS cap 12
 RHS R2 1
 RHS balance 0.25
 RHS empty 5
 RHS dup 20
 RHS n_lim 3.5
 RHS fix_use 1
BOUNDS
 UP BND x 4
 LO BND y_int -2
 UP BND y_int 10
 BV BND C3
 FR BND free
 MI BND neg
 UP BND neg 3
 FX BND fixed 1.5
 LO BND lower 2
 PL BND n
 UP BND lonely 7
 FX BND off 0
ENDATA
