package protocol

// Function errors (FUNCTION, FCALL, FCALL_RO), part of the one catalog of
// errors.go, word for word as Redis 7.0.
const (
	ErrFuncMissingMeta       = "ERR Missing library metadata"
	ErrFuncInvalidMeta       = "ERR Invalid library metadata"
	ErrFuncNameGivenTwice    = "ERR Invalid metadata value, name argument was given multiple times"
	ErrFuncNoLibName         = "ERR Library name was not given"
	ErrFuncBadName           = "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
	ErrFuncNoFunctions       = "ERR No functions registered"
	ErrFuncCodeMissing       = "ERR Function code is missing"
	ErrFuncLibNotFound       = "ERR Library not found"
	ErrFuncNotFound          = "ERR Function not found"
	ErrFuncFlushMode         = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option"
	ErrFuncRestorePolicy     = "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
	ErrFuncPayload           = "ERR DUMP payload version or checksum are wrong"
	ErrFuncPayloadType       = "ERR given type is not a function"
	ErrFuncPayloadPreGA      = "ERR Pre-GA function format not supported"
	ErrFuncPayloadRead       = "ERR can not read data type"
	ErrFuncPayloadLib        = "ERR Failed loading library payload"
	ErrFuncListNoLibName     = "ERR library name argument was not given"
	ErrFuncBadNumKeys        = "ERR Bad number of keys provided"
	ErrFuncTooManyKeys       = "ERR Number of keys can't be greater than number of args"
	ErrFuncNegativeKeys      = "ERR Number of keys can't be negative"
	ErrFuncDupInLibrary      = "ERR Function already exists in the library"
	ErrFuncLoadTimeout       = "ERR FUNCTION LOAD timeout"
	ErrFuncRegisterOnlyLoad  = "ERR redis.register_function can only be called on FUNCTION LOAD command"
	ErrFuncRegisterArgc      = "ERR wrong number of arguments to redis.register_function"
	ErrFuncRegisterSingleArg = "ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."
	ErrFuncRegisterNameType  = "ERR first argument to redis.register_function must be a string"
	ErrFuncRegisterFnType    = "ERR second argument to redis.register_function must be a function"
	ErrFuncRegisterNoName    = "ERR redis.register_function must get a function name argument"
	ErrFuncRegisterNoFn      = "ERR redis.register_function must get a callback argument"
	ErrFuncRegisterUnknown   = "ERR unknown argument given to redis.register_function"
	ErrFuncRegisterKeyType   = "ERR named argument key given to redis.register_function is not a string"
	ErrFuncRegisterNameArg   = "ERR function_name argument given to redis.register_function must be a string"
	ErrFuncRegisterFnArg     = "ERR callback argument given to redis.register_function must be a function"
	ErrFuncRegisterDescArg   = "ERR description argument given to redis.register_function must be a string"
	ErrFuncRegisterFlagsArg  = "ERR flags argument to redis.register_function must be a table representing function flags"
	ErrFuncRegisterFlag      = "ERR unknown flag given"
)

// DEBUG RELOAD's errors, as Redis 7.0's.
const (
	ErrDebugReloadOption = "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."
	ErrDebugReloadLoad   = "ERR Error trying to load the RDB dump"
)

// ErrFuncUnknownOption is FUNCTION LOAD's reply to an option other than REPLACE.
func ErrFuncUnknownOption(opt []byte) string { return "ERR Unknown option given: " + string(opt) }

// ErrFuncInvalidMetaValue is the reply to a shebang word other than name=.
func ErrFuncInvalidMetaValue(part []byte) string {
	return "ERR Invalid metadata value given: " + string(part)
}

// ErrFuncEngine is the reply to a shebang naming an unknown engine.
func ErrFuncEngine(engine []byte) string { return "ERR Engine '" + string(engine) + "' not found" }

// ErrFuncLibExists is FUNCTION LOAD's reply when the library exists and
// REPLACE was not given.
func ErrFuncLibExists(lib string) string { return "ERR Library '" + lib + "' already exists" }

// ErrFuncRestoreLibExists is FUNCTION RESTORE's (APPEND) reply when a
// restored library exists: Redis words it without quotes.
func ErrFuncRestoreLibExists(lib string) string { return "ERR Library " + lib + " already exists" }

// ErrFuncExists is the reply when a loaded function's name is taken by
// another library.
func ErrFuncExists(name string) string { return "ERR Function " + name + " already exists" }

// ErrFuncUnknownArgument is FUNCTION LIST's reply to an argument it does not take.
func ErrFuncUnknownArgument(arg []byte) string { return "ERR Unknown argument " + string(arg) }

// ErrFuncCompile is the reply to library code that does not compile.
func ErrFuncCompile(detail string) string { return "ERR Error compiling function: " + detail }

// ErrFuncRegistering is the reply to library code that failed while it
// ran at load; detail is the Lua error, itself starting with its code.
func ErrFuncRegistering(detail string) string { return "ERR Error registering functions: " + detail }
