package allocate

// op starts the messages of the errors Locate returns
// (*gst.InfeasibleError, *gst.TooLargeError).
const op = "allocate"
