import SMRLCore
import Testing
@testable import SMRLCSLJSON
