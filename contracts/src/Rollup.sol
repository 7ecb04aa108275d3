// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Parameters, ParameterBounds} from "./rollup/Parameters.sol";
import {SlotClock} from "./rollup/SlotClock.sol";
import {SequencerStaking} from "./rollup/SequencerStaking.sol";
import {FernetRandomness} from "./rollup/FernetRandomness.sol";
import {QuoteSignatures} from "./rollup/QuoteSignatures.sol";
import {BlockStatus, RollupBlock, Proposal, ProverQuote} from "./rollup/RollupTypes.sol";
import {RootPublicInputs, RootPublicInputsCodec} from "./lib/RootPublicInputs.sol";
import {EtherTransfer} from "./lib/EtherTransfer.sol";
import {ProverEscrow} from "./escrow/ProverEscrow.sol";
import {VerifierRegistry} from "./verifier/VerifierRegistry.sol";
import {IVerifier} from "./verifier/IVerifier.sol";

/// @title Rollup — prover-burst's reference L1 protocol
/// @notice Fernet sequencing with a bonded exclusive window, then an open race (docs/protocol.md,
///         docs/protocol-v2.md). Per slot: staked sequencers propose a body hash on a named parent body, reveal the body
///         (the highest revealed score is the slot's block; each reveal locks a sequencer block bond), a prover's
///         quote for exactly that body, countersigned by the winning sequencer, is committed, and the block must be
///         proven by its deadline or it is pruned with its descendants. A block's window and deadline count from when
///         it becomes provable (its parent proven), and every forfeited bond is burnt.
contract Rollup is SequencerStaking, FernetRandomness, QuoteSignatures {
    /// Bytes per tx in a revealed body: a 32-byte tx hash and a big-endian uint16 public-call count.
    uint256 public constant ENCODED_TX_BYTES = 34;
    /// A tx making more public calls than this is malformed (core/profiles: maxPublicCallsPerTx).
    uint256 public constant MAX_PUBLIC_CALLS_PER_TX = 64;

    event Genesis(bytes32 stateRoot, address escrow, address verifierRegistry);
    event BlockProposed(
        uint256 indexed slot, address indexed sequencer, bytes32 bodyHash, uint256 parentBlock, bytes32 score
    );
    /// @notice The slot's best body so far; a higher-scoring reveal in the same reveal phase replaces it.
    event BlockRevealed(
        uint256 indexed blockNumber,
        uint256 indexed slot,
        address indexed sequencer,
        bytes32 bodyHash,
        uint32 txCount,
        uint256 parentBlock,
        uint64 revealedAt,
        uint64 provingDeadline,
        uint32 proofSystemVersion
    );
    event ProverCommitted(
        uint256 indexed blockNumber, address indexed proverId, uint16 feeBps, uint256 bond, uint64 exclusiveUntil
    );
    event BlockProven(
        uint256 indexed blockNumber,
        address indexed proverId,
        address indexed submitter,
        bytes32 newStateRoot,
        uint256 proverReward,
        uint256 sequencerReward,
        uint32 proofSystemVersion
    );
    /// @notice The block's parent was proven after the block's reveal phase: its clock restarts from that proof.
    event ProvingClockRestarted(uint256 indexed blockNumber, uint64 exclusiveUntil, uint64 provingDeadline);
    event BlockPruned(uint256 indexed blockNumber);
    /// @notice A committed prover's forfeited bond, burnt whole.
    event BondSlashed(uint256 indexed blockNumber, address indexed proverId, uint256 bond);
    event BondReleased(uint256 indexed blockNumber, address indexed proverId, uint256 bond);
    event RewardsFunded(address indexed funder, uint256 amount, uint256 rewardPool);
    event RewardsWithdrawn(address indexed account, uint256 amount);

    error EscrowDelayMismatch(uint256 escrowDelaySeconds, uint256 parameterDelaySeconds);
    /// @notice A verifier change could take effect before escrow withdrawals or sequencer exits complete.
    error VerifierDelayTooShort(uint256 activationDelaySeconds, uint256 escrowWithdrawalDelaySeconds, uint256 sequencerExitDelaySeconds);
    error ZeroBodyHash();
    error AlreadyProposed(uint256 slot, address sequencer);
    error ParentNotPendingTip(uint256 parentBlock, uint256 pendingTip);
    /// @notice The parent block's body is not the one the proposal was built on (an L1 reorg replaced it).
    error ParentBodyMismatch(uint256 parentBlock, bytes32 parentBodyHash, bytes32 proposedParentBodyHash);
    error PendingChainFull(uint256 provenTip, uint256 pendingTip, uint256 maxPendingBlocks);
    error NoProposal(uint256 slot, address sequencer);
    error BodyTooLarge(uint256 length, uint256 maxLength);
    /// @notice A body must be a whole, non-zero number of ENCODED_TX_BYTES records.
    error MalformedBody(uint256 length);
    error BodyNotMalformed(uint256 blockNumber, uint256 txIndex, uint256 otherTxIndex);
    error BodyHashMismatch(bytes32 proposed, bytes32 revealed);
    error RevealOutscored(uint256 slot, bytes32 score, bytes32 winningScore);
    error BlockNotRevealed(uint256 blockNumber, BlockStatus status);
    error AlreadyCommitted(uint256 blockNumber, address committedProver);
    error QuoteExpired(uint256 validUntil, uint256 timestamp);
    /// @notice A quote valid past its block's commit phase could be replayed on a later block that reuses the number.
    error QuoteOutlivesCommitPhase(uint256 validUntil, uint256 commitPhaseEnd);
    error QuoteSlotMismatch(uint256 blockNumber, uint256 quotedSlot, uint256 slot);
    /// @notice The quote was signed for another body than the block's: the prover never checked this one.
    error QuoteBodyMismatch(uint256 blockNumber, bytes32 quotedBodyHash, bytes32 bodyHash);
    /// @notice Below minProverBond + proverBondPerTx × txCount for this block.
    error BondBelowMinimum(uint256 bond, uint256 minimum);
    error BondTooLarge(uint256 bond, uint256 maximum);
    error FeeAboveProverShare(uint256 feeBps, uint256 maxFeeBps);
    error InvalidProverSignature(address proverId, address signer);
    error InvalidSequencerSignature(address sequencer, address signer);
    error BlockAlreadyProven(uint256 blockNumber, address provenBy);
    error PublicInputsBlockMismatch(uint256 blockNumber, uint256 publicInputsBlockNumber);
    error ZeroProverId();
    error ProvingDeadlinePassed(uint256 blockNumber, uint256 provingDeadline, uint256 timestamp);
    error ExclusiveWindow(uint256 blockNumber, address committedProver, uint256 exclusiveUntil, address proverId);
    error ParentNotProven(uint256 blockNumber, uint256 parentBlock);
    error ParentStateRootMismatch(bytes32 parentStateRoot, bytes32 publicInputsParentStateRoot);
    error PublicInputsBodyHashMismatch(bytes32 bodyHash, bytes32 publicInputsBodyHash);
    error ProofRejected(uint256 blockNumber, uint32 proofSystemVersion, address verifier);
    error NothingToPrune(uint256 provenTip, uint256 pendingTip);
    error ZeroFunding();
    error NoRewards(address account);

    ProverEscrow public immutable escrow;
    VerifierRegistry public immutable verifierRegistry;

    mapping(uint256 blockNumber => RollupBlock) private _blocks;
    mapping(uint256 slot => mapping(address sequencer => Proposal)) private _proposals;
    uint64 private _provenTip;
    uint64 private _pendingTip;
    /// Ether set aside for block rewards and fees; kept apart from sequencer stakes and credited rewards.
    uint256 private _rewardPool;
    mapping(address account => uint256) private _rewards;

    /// @param genesisStateRoot Block 0's state root; block 0 is proven from the start.
    constructor(
        Parameters memory parameters_,
        ProverEscrow escrow_,
        VerifierRegistry verifierRegistry_,
        bytes32 genesisStateRoot
    )
        SlotClock(parameters_)
        FernetRandomness(keccak256(abi.encode(genesisStateRoot, block.prevrandao, address(this))))
    {
        if (escrow_.withdrawalDelaySeconds() != parameters_.escrowWithdrawalDelaySeconds) {
            revert EscrowDelayMismatch(escrow_.withdrawalDelaySeconds(), parameters_.escrowWithdrawalDelaySeconds);
        }
        uint256 activationDelay = verifierRegistry_.activationDelaySeconds();
        if (
            activationDelay <= parameters_.escrowWithdrawalDelaySeconds
                || activationDelay <= parameters_.sequencerExitDelaySeconds
        ) {
            revert VerifierDelayTooShort(
                activationDelay, parameters_.escrowWithdrawalDelaySeconds, parameters_.sequencerExitDelaySeconds
            );
        }
        escrow = escrow_;
        verifierRegistry = verifierRegistry_;
        RollupBlock storage genesis = _blocks[0];
        genesis.status = BlockStatus.Proven;
        genesis.stateRoot = genesisStateRoot;
        emit Genesis(genesisStateRoot, address(escrow_), address(verifierRegistry_));
    }

    // ----- sequencing -----

    /// @notice Commits the caller's body for `slot` on top of `parentBlock`, which must be the pending tip and hold the
    ///         body `parentBodyHash` (zero for genesis): after an L1 reorg a proposal cannot land on another parent.
    ///         Prunes first if a block is past its deadline, so proposals always build on a live chain. (The prune calls
    ///         only this rollup's escrow and the burn address, which has no code; what follows writes the proposal.)
    // slither-disable-next-line reentrancy-benign,reentrancy-events
    function propose(uint256 slot, uint256 parentBlock, bytes32 parentBodyHash, bytes32 bodyHash) external {
        _pruneIfDue();
        _requirePhase(slot, Phase.Proposal);
        if (!isActiveSequencer(msg.sender)) revert NotAnActiveSequencer(msg.sender);
        if (bodyHash == bytes32(0)) revert ZeroBodyHash();
        uint256 tip = _pendingTip;
        if (parentBlock != tip) revert ParentNotPendingTip(parentBlock, tip);
        bytes32 actualParentBody = _blocks[parentBlock].bodyHash;
        if (parentBodyHash != actualParentBody) {
            revert ParentBodyMismatch(parentBlock, actualParentBody, parentBodyHash);
        }
        if (tip - _provenTip >= _params.maxPendingBlocks) {
            revert PendingChainFull(_provenTip, tip, _params.maxPendingBlocks);
        }
        Proposal storage proposal = _proposals[slot][msg.sender];
        if (proposal.bodyHash != bytes32(0)) revert AlreadyProposed(slot, msg.sender);
        proposal.bodyHash = bodyHash;
        proposal.parentBlock = uint64(parentBlock);
        _recordRandomness(slot);
        emit BlockProposed(slot, msg.sender, bodyHash, parentBlock, _score(msg.sender, slot, _params.randomnessLagSlots));
    }

    /// @notice Publishes the body of the caller's proposal as calldata and locks the caller's block bond. The contract
    ///         checks the body's hash, size and that it is a whole number of txs; it does not parse the txs: a body
    ///         with a bad tx can be shown malformed with `pruneMalformed`, else it is never proven and is pruned.
    function reveal(uint256 slot, bytes calldata body) external {
        _requirePhase(slot, Phase.Reveal);
        Proposal memory proposal = _proposals[slot][msg.sender];
        if (proposal.bodyHash == bytes32(0)) revert NoProposal(slot, msg.sender);
        uint256 maxLength = uint256(_params.maxTxsPerBlock) * ENCODED_TX_BYTES;
        if (body.length > maxLength) revert BodyTooLarge(body.length, maxLength);
        if (body.length == 0 || body.length % ENCODED_TX_BYTES != 0) revert MalformedBody(body.length);
        bytes32 bodyHash = keccak256(body);
        if (bodyHash != proposal.bodyHash) revert BodyHashMismatch(proposal.bodyHash, bodyHash);

        uint256 blockNumber = _blockNumberForReveal(slot, proposal.parentBlock);
        _lockBlockBond(msg.sender);
        uint64 revealEnd = uint64(_revealPhaseEnd(slot));
        (, uint256 commitEnd) = _phaseWindow(slot, Phase.Commit);
        uint32 txCount = uint32(body.length / ENCODED_TX_BYTES);
        uint64 provingDeadline = revealEnd + _params.provingDeadlineSeconds;
        uint32 version = verifierRegistry.currentVersion();
        // Written whole: a pruned block number is reused, and nothing of the old block may survive.
        _blocks[blockNumber] = RollupBlock({
            sequencer: msg.sender,
            slot: uint64(slot),
            txCount: txCount,
            bodyHash: bodyHash,
            parentBlock: proposal.parentBlock,
            revealedAt: uint40(block.timestamp),
            provingDeadline: uint40(provingDeadline),
            exclusiveUntil: uint40(commitEnd),
            provenAt: 0,
            committedProver: address(0),
            feeBps: 0,
            status: BlockStatus.Revealed,
            proofSystemVersion: version,
            revealL1Block: uint40(block.number),
            provenBy: address(0),
            bond: 0,
            stateRoot: bytes32(0)
        });
        emit BlockRevealed(
            blockNumber,
            slot,
            msg.sender,
            bodyHash,
            txCount,
            proposal.parentBlock,
            uint64(block.timestamp),
            provingDeadline,
            version
        );
    }

    /// @dev The slot's block keeps its number when a higher-scoring reveal replaces it (the replaced sequencer's
    ///      block bond is released); a slot's first reveal extends the pending tip.
    function _blockNumberForReveal(uint256 slot, uint256 parentBlock) private returns (uint256) {
        uint256 tip = _pendingTip;
        RollupBlock storage current = _blocks[tip];
        if (current.status == BlockStatus.Revealed && current.slot == slot) {
            uint256 lag = _params.randomnessLagSlots;
            bytes32 score = _score(msg.sender, slot, lag);
            bytes32 winning = _score(current.sequencer, slot, lag);
            if (uint256(score) <= uint256(winning)) revert RevealOutscored(slot, score, winning);
            if (parentBlock != current.parentBlock) revert ParentNotPendingTip(parentBlock, current.parentBlock);
            _releaseBlockBond(current.sequencer);
            return tip;
        }
        if (parentBlock != tip) revert ParentNotPendingTip(parentBlock, tip);
        _pendingTip = uint64(tip + 1);
        return tip + 1;
    }

    // ----- prover commitment -----

    /// @notice Commits the quote's prover to its block: needs the prover's EIP-712 signature over a quote naming this
    ///         block's slot and body, and the block's sequencer's over QuoteAcceptance; anyone may send it during the
    ///         block's commit phase. Locks the bond from the prover's escrow and gives the prover the block alone until
    ///         exclusiveUntil: one window from when the block is provable.
    function commitProver(
        ProverQuote calldata quote,
        bytes calldata proverSignature,
        bytes calldata sequencerSignature
    ) external {
        RollupBlock storage b = _blocks[quote.blockNumber];
        if (b.status != BlockStatus.Revealed) revert BlockNotRevealed(quote.blockNumber, b.status);
        _requirePhase(b.slot, Phase.Commit);
        if (b.committedProver != address(0)) revert AlreadyCommitted(quote.blockNumber, b.committedProver);
        if (quote.slot != b.slot) revert QuoteSlotMismatch(quote.blockNumber, quote.slot, b.slot);
        if (quote.bodyHash != b.bodyHash) revert QuoteBodyMismatch(quote.blockNumber, quote.bodyHash, b.bodyHash);
        _checkQuoteTerms(quote, b.slot, b.txCount);

        bytes32 structHash = quoteHash(quote);
        address proverSigner = _quoteSigner(structHash, proverSignature);
        if (quote.proverId == address(0) || proverSigner != quote.proverId) {
            revert InvalidProverSignature(quote.proverId, proverSigner);
        }
        address sequencerSigner = _acceptanceSigner(structHash, b.sequencer, sequencerSignature);
        if (sequencerSigner != b.sequencer) revert InvalidSequencerSignature(b.sequencer, sequencerSigner);

        uint256 provableFrom = _revealPhaseEnd(b.slot);
        uint256 parentProvenAt = _blocks[b.parentBlock].provenAt;
        if (parentProvenAt > provableFrom) provableFrom = parentProvenAt;
        uint64 exclusiveUntil = uint64(provableFrom) + _params.exclusiveWindowSeconds;
        b.committedProver = quote.proverId;
        b.feeBps = quote.feeBps;
        b.bond = uint96(quote.bond);
        b.exclusiveUntil = uint40(exclusiveUntil);
        emit ProverCommitted(quote.blockNumber, quote.proverId, quote.feeBps, quote.bond, exclusiveUntil);
        escrow.lockBond(quote.proverId, quote.bond);
    }

    function _checkQuoteTerms(ProverQuote calldata quote, uint256 slot, uint256 txCount) private view {
        if (block.timestamp > quote.validUntil) revert QuoteExpired(quote.validUntil, block.timestamp);
        (, uint256 commitEnd) = _phaseWindow(slot, Phase.Commit);
        if (quote.validUntil > commitEnd) revert QuoteOutlivesCommitPhase(quote.validUntil, commitEnd);
        uint256 minimumBond = ParameterBounds.requiredProverBond(_params, txCount);
        if (quote.bond < minimumBond) revert BondBelowMinimum(quote.bond, minimumBond);
        if (quote.bond > type(uint96).max) revert BondTooLarge(quote.bond, type(uint96).max);
        uint256 maxFeeBps = ParameterBounds.WHOLE_BPS - _params.sequencerBps;
        if (quote.feeBps > maxFeeBps) revert FeeAboveProverShare(quote.feeBps, maxFeeBps);
    }

    // ----- proving -----

    /// @notice Accepts the first valid root proof of a revealed block whose parent is proven. `publicInputs` is the
    ///         ABI encoding of RootPublicInputs; the prover id in it is credited (and must be the committed prover
    ///         before exclusiveUntil). The proof is checked by the verifier of the proof-system version the block was
    ///         revealed under. A second proof of a proven block reverts at the first check.
    function submitProof(uint256 blockNumber, bytes calldata publicInputs, bytes calldata proof) external {
        RollupBlock storage b = _blocks[blockNumber];
        BlockStatus status = b.status;
        if (status == BlockStatus.Proven) revert BlockAlreadyProven(blockNumber, b.provenBy);
        if (status != BlockStatus.Revealed) revert BlockNotRevealed(blockNumber, status);
        RootPublicInputs memory inputs = RootPublicInputsCodec.decode(publicInputs);
        _checkProofTarget(blockNumber, b, inputs);
        uint32 version = b.proofSystemVersion;
        IVerifier verifier = verifierRegistry.verifierOf(version);
        if (!verifier.verify(publicInputs, proof)) revert ProofRejected(blockNumber, version, address(verifier));

        // In-window is decided before the state changes: the committed prover, before exclusiveUntil.
        bool inWindow = inputs.proverId == b.committedProver && block.timestamp < b.exclusiveUntil;
        b.status = BlockStatus.Proven;
        b.stateRoot = inputs.newStateRoot;
        b.provenBy = inputs.proverId;
        b.provenAt = uint40(block.timestamp);
        _provenTip = uint64(blockNumber);
        (uint256 proverReward, uint256 sequencerReward) =
            _creditRewards(inputs.proverId, b.sequencer, b.txCount, inWindow ? b.feeBps : _params.openRaceProverBps);
        emit BlockProven(
            blockNumber, inputs.proverId, msg.sender, inputs.newStateRoot, proverReward, sequencerReward, version
        );
        _releaseBlockBond(b.sequencer);
        _restartChildClock(blockNumber + 1);
        if (b.committedProver != address(0)) _settleBond(blockNumber, b, !inWindow);
    }

    /// @dev The child could not be proven before now (its parent was not): if it was revealed earlier, its exclusive
    ///      window (once committed) and its deadline start again from now. Its committed prover is never slashed for
    ///      time its block was not provable, and a late parent cannot expire its child's window.
    function _restartChildClock(uint256 child) private {
        if (child > _pendingTip) return;
        RollupBlock storage c = _blocks[child];
        if (block.timestamp <= _revealPhaseEnd(c.slot)) return;
        uint64 provingDeadline = uint64(block.timestamp) + _params.provingDeadlineSeconds;
        c.provingDeadline = uint40(provingDeadline);
        if (c.committedProver != address(0)) c.exclusiveUntil = uint40(block.timestamp + _params.exclusiveWindowSeconds);
        emit ProvingClockRestarted(child, c.exclusiveUntil, provingDeadline);
    }

    function _checkProofTarget(uint256 blockNumber, RollupBlock storage b, RootPublicInputs memory inputs)
        private
        view
    {
        if (inputs.blockNumber != blockNumber) revert PublicInputsBlockMismatch(blockNumber, inputs.blockNumber);
        if (inputs.proverId == address(0)) revert ZeroProverId();
        if (block.timestamp > b.provingDeadline) {
            revert ProvingDeadlinePassed(blockNumber, b.provingDeadline, block.timestamp);
        }
        // Also keeps proofs out until the reveal phase is over: exclusiveUntil is never earlier than that, and
        // before it only a committed prover (who committed after the reveal phase) gets through.
        if (block.timestamp < b.exclusiveUntil && inputs.proverId != b.committedProver) {
            revert ExclusiveWindow(blockNumber, b.committedProver, b.exclusiveUntil, inputs.proverId);
        }
        RollupBlock storage parent = _blocks[b.parentBlock];
        if (parent.status != BlockStatus.Proven) revert ParentNotProven(blockNumber, b.parentBlock);
        if (inputs.parentStateRoot != parent.stateRoot) {
            revert ParentStateRootMismatch(parent.stateRoot, inputs.parentStateRoot);
        }
        if (inputs.bodyHash != b.bodyHash) revert PublicInputsBodyHashMismatch(b.bodyHash, inputs.bodyHash);
    }

    /// @dev Total = blockReward + feePerTx * txCount, capped by the reward pool; the prover and the sequencer take
    ///      their shares and whatever is left stays in the pool for later blocks.
    function _creditRewards(address proverId, address sequencer, uint256 txCount, uint256 proverBps)
        private
        returns (uint256 proverReward, uint256 sequencerReward)
    {
        uint256 total = uint256(_params.blockReward) + uint256(_params.feePerTx) * txCount;
        if (total > _rewardPool) total = _rewardPool;
        proverReward = total * proverBps / ParameterBounds.WHOLE_BPS;
        sequencerReward = total * _params.sequencerBps / ParameterBounds.WHOLE_BPS;
        _rewardPool -= proverReward + sequencerReward;
        _rewards[proverId] += proverReward;
        _rewards[sequencer] += sequencerReward;
    }

    // ----- pruning -----

    /// @notice Prunes the lowest unproven block once it is past its deadline, with all its descendants; the pending
    ///         tip falls back to the proven tip.
    function prune() external {
        if (!_pruneIfDue()) revert NothingToPrune(_provenTip, _pendingTip);
    }

    function isPruneDue() public view returns (bool) {
        uint256 proven = _provenTip;
        return _pendingTip > proven && block.timestamp > _blocks[proven + 1].provingDeadline;
    }

    /// @notice Prunes a revealed block at once, with its descendants, by showing its body malformed: the tx at
    ///         `txIndex` makes more than MAX_PUBLIC_CALLS_PER_TX public calls (`otherTxIndex` == `txIndex`), or the
    ///         txs at the two indices share a hash. No root proof can exist for such a body, so the chain need not wait
    ///         for its deadline. Its sequencer's block bond is burnt; a committed prover's bond is released.
    function pruneMalformed(uint256 blockNumber, bytes calldata body, uint256 txIndex, uint256 otherTxIndex) external {
        RollupBlock storage b = _blocks[blockNumber];
        if (b.status != BlockStatus.Revealed) revert BlockNotRevealed(blockNumber, b.status);
        bytes32 bodyHash = keccak256(body);
        if (bodyHash != b.bodyHash) revert BodyHashMismatch(b.bodyHash, bodyHash);
        if (!_isMalformedAt(body, txIndex, otherTxIndex)) revert BodyNotMalformed(blockNumber, txIndex, otherTxIndex);
        _pruneFrom(blockNumber, false);
    }

    function _isMalformedAt(bytes calldata body, uint256 txIndex, uint256 otherTxIndex) private pure returns (bool) {
        uint256 txCount = body.length / ENCODED_TX_BYTES;
        if (txIndex >= txCount || otherTxIndex >= txCount) return false;
        uint256 offset = txIndex * ENCODED_TX_BYTES;
        if (txIndex == otherTxIndex) return uint16(bytes2(body[offset + 32:offset + 34])) > MAX_PUBLIC_CALLS_PER_TX;
        uint256 other = otherTxIndex * ENCODED_TX_BYTES;
        return bytes32(body[offset:offset + 32]) == bytes32(body[other:other + 32]);
    }

    function _pruneIfDue() private returns (bool) {
        if (!isPruneDue()) return false;
        _pruneFrom(_provenTip + 1, true);
        return true;
    }

    /// @dev Prunes `lowest` and every block above it; the pending tip falls back to the block below. Only `lowest` is
    ///      at fault (its descendants could not be proven before it): its sequencer's block bond is burnt, and so is
    ///      its committed prover's bond when the block was pruned for missing its deadline. Every other bond is
    ///      released. At most maxPendingBlocks blocks (propose keeps the pending chain within it). All of the rollup's
    ///      own state changes first; the escrow calls and the burn come after.
    function _pruneFrom(uint256 lowest, bool proverAtFault) private {
        uint256 pending = _pendingTip;
        _pendingTip = uint64(lowest - 1);
        uint256 burnt = 0;
        for (uint256 blockNumber = lowest; blockNumber <= pending; blockNumber++) {
            RollupBlock storage b = _blocks[blockNumber];
            b.status = BlockStatus.Pruned;
            emit BlockPruned(blockNumber);
            if (blockNumber == lowest) burnt = _forfeitBlockBond(blockNumber, b.sequencer);
            else _releaseBlockBond(b.sequencer);
        }
        for (uint256 blockNumber = lowest; blockNumber <= pending; blockNumber++) {
            RollupBlock storage b = _blocks[blockNumber];
            if (b.committedProver != address(0)) _settleBond(blockNumber, b, blockNumber == lowest && proverAtFault);
        }
        EtherTransfer.burn(burnt);
    }

    /// @dev A forfeited bond is burnt whole: whoever caused the forfeit (the prover itself, under any id) gains nothing.
    function _settleBond(uint256 blockNumber, RollupBlock storage b, bool forfeited) private {
        address prover = b.committedProver;
        uint256 bond = b.bond;
        // In a prune's loop these calls go to this rollup's own escrow, at most maxPendingBlocks of them.
        if (forfeited) {
            emit BondSlashed(blockNumber, prover, bond);
            // slither-disable-next-line calls-loop
            escrow.slashBond(prover, bond);
        } else {
            emit BondReleased(blockNumber, prover, bond);
            // slither-disable-next-line calls-loop
            escrow.releaseBond(prover, bond);
        }
    }

    // ----- rewards -----

    /// @notice Adds ether to the reward pool that block rewards and fees are paid from.
    function fundRewards() external payable {
        if (msg.value == 0) revert ZeroFunding();
        _rewardPool += msg.value;
        emit RewardsFunded(msg.sender, msg.value, _rewardPool);
    }

    /// @notice Pays out the caller's credited rewards (a prover id's or a sequencer's).
    function withdrawRewards() external {
        uint256 amount = _rewards[msg.sender];
        // A credited amount, not an ether balance anyone can move: a strict zero check is what is meant.
        // slither-disable-next-line incorrect-equality
        if (amount == 0) revert NoRewards(msg.sender);
        _rewards[msg.sender] = 0;
        emit RewardsWithdrawn(msg.sender, amount);
        EtherTransfer.send(msg.sender, amount);
    }

    // ----- views -----

    /// @notice The highest proven block and the highest revealed (pending) block.
    function tips() external view returns (uint256 proven, uint256 pending) {
        return (_provenTip, _pendingTip);
    }

    function blockState(uint256 blockNumber) external view returns (RollupBlock memory) {
        return _blocks[blockNumber];
    }

    function proposalOf(uint256 slot, address sequencer) external view returns (Proposal memory) {
        return _proposals[slot][sequencer];
    }

    function rewardsOf(address account) external view returns (uint256) {
        return _rewards[account];
    }

    function rewardPool() external view returns (uint256) {
        return _rewardPool;
    }
}
