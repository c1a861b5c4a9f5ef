# probe.tcl - run inside GTKWave (gtkwave -S probe.tcl SAVEFILE) by tests/gtkwave/check.py:
# writes what the viewer shows to $env(PIM_PROBE_OUT) (one "key value" per line, a trace as
# tab-separated fields: the
# visible window, the markers, every displayed trace with its flags and its value at the
# primary marker), then a line "done". GTKWave runs the script before it draws; check.py
# takes the screenshot once the window is drawn, then stops GTKWave.
proc probe {} {
    set f [open $::env(PIM_PROBE_OUT) w]
    puts $f "window [gtkwave::getWindowStartTime] [gtkwave::getWindowEndTime]"
    puts $f "marker [gtkwave::getMarker]"
    puts $f "marker_A [gtkwave::getNamedMarker A]"
    puts $f "marker_B [gtkwave::getNamedMarker B]"
    puts $f "max_time [gtkwave::getMaxTime]"
    set n [gtkwave::getTotalNumTraces]
    for {set i 0} {$i < $n} {incr i} {
        set name [gtkwave::getTraceNameFromIndex $i]
        set flags [gtkwave::getTraceFlagsFromIndex $i]
        set value [gtkwave::getTraceValueAtMarkerFromIndex $i]
        puts $f "trace\t$i\t$flags\t$name\t$value"
    }
    puts $f "displayed [gtkwave::getDisplayedSignals]"
    puts $f "done"
    close $f
}
probe
